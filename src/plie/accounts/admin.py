from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "employs_referents", "is_prescriber", "is_provider", "is_active"]
    list_filter = ["employs_referents", "is_prescriber", "is_provider", "is_active"]
    search_fields = ["name"]


admin.site.unregister(Group)


@admin.register(Group)
class PlieGroupAdmin(GroupAdmin):
    filter_horizontal = ()  # as for the users' permissions above
