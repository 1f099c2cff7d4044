from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.accounts import second_factor
from plie.accounts.models import Organisation, User


@admin.register(User)
class PlieUserAdmin(UserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    # Django's two-pane selector gives its search icon an aria-label that a <span> may not
    # carry (axe: aria-prohibited-attr); the plain multiple choice list is labelled.
    filter_horizontal = ()
    # Recorded by Django at login and account creation, not typed in (and their split date
    # and time inputs have no label of their own).
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Rôle dans le PLIE", {"fields": ("role", "organisation")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (
            "Rôle dans le PLIE",
            {"fields": ("first_name", "last_name", "email", "role", "organisation")},
        ),
    )

    # Rights and passwords change only with a fresh code of the second factor: a session
    # left open is not enough to make oneself coordinator or to take over an account.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return second_factor.ask_again(request) or super().changeform_view(
            request, object_id, form_url, extra_context
        )

    def user_change_password(self, request, id, form_url=""):
        return second_factor.ask_again(request) or super().user_change_password(
            request, id, form_url
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "employs_referents", "is_prescriber", "is_provider", "is_active"]
    list_filter = ["employs_referents", "is_prescriber", "is_provider", "is_active"]
    search_fields = ["name"]


admin.site.unregister(Group)
# The second factor's secrets are nobody's to read, in the administration neither: a lost
# telephone is reset from the command line (`plie reset_second_factor`).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Group)
class PlieGroupAdmin(GroupAdmin):
    filter_horizontal = ()  # as for the users' permissions above
