from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from plie.accounts.models import Organisation, User


@admin.register(User)
class PlieUserAdmin(UserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
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
