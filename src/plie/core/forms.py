"""What every form of the site shares."""

from django import forms


def date_input() -> forms.DateInput:
    """The browser's date picker; the value goes in and out as 2026-12-31."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FocusFirstErrorMixin:
    """A refused form opens with the cursor on its first wrong field (keyboard and screen
    reader users land where they must act), without any script."""

    def add_error(self, field, error):
        super().add_error(field, error)
        first = next((name for name in self.fields if name in self._errors), None)
        for name, bound_field in self.fields.items():
            if name == first:
                bound_field.widget.attrs["autofocus"] = True
            else:
                bound_field.widget.attrs.pop("autofocus", None)
