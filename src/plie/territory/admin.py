from django.contrib import admin

from plie.core.administration import KeepReferencedAdmin
from plie.territory.models import (
    BarrierType,
    Commune,
    EducationLevel,
    PrescriberType,
    Programme,
    Qpv,
)


@admin.register(Programme)
class ProgrammeAdmin(KeepReferencedAdmin):
    list_display = ["short_name", "territory_name", "managing_body"]

    def has_delete_permission(self, request, obj=None):
        return False  # deleting the PLIE would list, then delete, every participant

    fieldsets = [
        (None, {"fields": ["name", "short_name", "territory_name", "managing_body"]}),
        (
            "Seuils des listes « À suivre » (en jours)",
            {
                "fields": [
                    "alert_days_without_step",
                    "alert_days_not_seen",
                    "alert_days_referral_waiting",
                    "alert_days_step_ending",
                    "alert_days_follow_up",
                ]
            },
        ),
    ]


@admin.register(Commune)
class CommuneAdmin(KeepReferencedAdmin):
    list_display = ["name", "insee_code", "postcode", "is_rural"]
    search_fields = ["name", "insee_code"]


@admin.register(Qpv)
class QpvAdmin(KeepReferencedAdmin):
    list_display = ["name", "code", "commune", "is_watch_area", "valid_from", "valid_until"]
    list_filter = ["commune"]


@admin.register(EducationLevel)
class EducationLevelAdmin(KeepReferencedAdmin):
    list_display = ["label", "code", "level", "old_level", "isced_band", "order", "is_active"]
    list_filter = ["is_active"]


@admin.register(PrescriberType)
class PrescriberTypeAdmin(KeepReferencedAdmin):
    list_display = ["label", "code", "is_active"]
    list_filter = ["is_active"]


@admin.register(BarrierType)
class BarrierTypeAdmin(KeepReferencedAdmin):
    list_display = ["label", "code", "is_sensitive", "is_active"]
    list_filter = ["is_sensitive", "is_active"]
