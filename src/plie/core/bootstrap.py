"""How django-bootstrap5 draws a field sent back: a field in error is marked (red border,
message below), the fields that were right are left as they were typed. Bootstrap's green
« valid » tick on every other field of a refused form reads as « saved », which it is not."""

from django_bootstrap5.renderers import FieldRenderer as BootstrapFieldRenderer


class FieldRenderer(BootstrapFieldRenderer):
    """The default field renderer (settings.BOOTSTRAP5), without `is-valid`."""

    def get_server_side_validation_classes(self) -> str:
        return "is-invalid" if self.field_errors else ""
