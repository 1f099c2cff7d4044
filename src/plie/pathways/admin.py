from django.contrib import admin

from plie.core.administration import KeepReferencedAdmin
from plie.pathways.models import StepType


@admin.register(StepType)
class StepTypeAdmin(KeepReferencedAdmin):
    """The step catalogue: a PLIE adds its own types or retires old ones (never deletes)."""

    list_display = ["label", "code", "category", "order", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["label", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # steps refer to their type: retire it with "proposé à la saisie"
