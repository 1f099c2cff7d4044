"""Accounts and organisations in the administration. The administrator manages accounts
without reaching beyond them: no change to their own role or flags, no superuser, roles that
open every file only as a request a coordinator approves (accounts/roles.py), no password
reset for a coordinator or an administrator, no account deleted (deactivated instead: its
name stays in the records and the journal). Every change is journaled (audit)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.accounts import roles, second_factor
from plie.accounts.enums import OWN_PASSWORD_ONLY, Role
from plie.accounts.models import Organisation, RoleRequest, User
from plie.core.administration import KeepReferencedAdmin
from plie.core.forms import SiteFormMixin

# Follow the role (accounts/roles.apply_role) or the command line: never typed in here.
ALWAYS_READ_ONLY = ["last_login", "date_joined", "is_staff", "is_superuser", "groups"]
ALWAYS_READ_ONLY += ["user_permissions"]
OWN_READ_ONLY = ["role", "is_active"]
HIDDEN = ("groups", "user_permissions")
OWN_ROLE = (
    "Votre propre rôle ne se change pas ici : il change par une demande de rôle qu'approuve la "
    "coordination du PLIE, ou par l'installateur en ligne de commande (plie role)."
)
NOTHING_CHANGED = "plie_nothing_changed"  # request attribute: the posted form changed nothing


def _role_form(base):
    """The admin's form, checking a role asked for before anything is saved."""

    class RoleCheckedForm(base):
        def clean(self):
            data = super().clean()
            role = data.get("role")
            existing = self.instance if self.instance.pk else None
            if role and roles.needs_approval(existing, role):
                try:
                    roles.check_request(user=existing, role=role, by=self.request_user)
                except ValidationError as error:
                    self.add_error("role", error)
            return data

    return RoleCheckedForm


@admin.register(User)
class PlieUserAdmin(KeepReferencedAdmin, UserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    # Django's two-pane selector gives its search icon an aria-label that a <span> may not
    # carry (axe: aria-prohibited-attr); the plain multiple choice list is labelled.
    filter_horizontal = ()
    # Django's groups and permissions give nothing here (docs/permissions.md: the role
    # decides): not shown, the model fields stay (read-only, ALWAYS_READ_ONLY).
    fieldsets = (
        *(
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in HIDDEN)})
            for name, options in UserAdmin.fieldsets
        ),
        ("Rôle dans le PLIE", {"fields": ("role", "organisation")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (
            "Rôle dans le PLIE",
            {"fields": ("first_name", "last_name", "email", "role", "organisation")},
        ),
    )

    # Rights change only with a fresh code of the second factor: a session left open is not
    # enough to make oneself coordinator.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return second_factor.ask_again(request) or super().changeform_view(
            request, object_id, form_url, extra_context
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.pk != request.user.pk:
            return fieldsets
        return tuple(
            (name, {**options, "description": OWN_ROLE})
            if "role" in options["fields"]
            else (name, options)
            for name, options in fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(ALWAYS_READ_ONLY)
        if obj is not None and obj.pk == request.user.pk:
            fields += OWN_READ_ONLY
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # a superuser's account is changed from the command line
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the account's name stays in records and journal

    def get_form(self, request, obj=None, **kwargs):
        form = _role_form(super().get_form(request, obj, **kwargs))
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        wanted = form.cleaned_data.get("role")
        # The form has already put the role asked for on `obj`: compare with the saved one.
        saved = User.objects.get(pk=obj.pk) if change else None
        if change and not form.changed_data:  # forged read-only fields are ignored
            setattr(request, NOTHING_CHANGED, True)
        if wanted is None or not roles.needs_approval(saved, wanted):
            super().save_model(request, obj, form, change)
            return
        # Unchanged until approved; a new account opens no file meanwhile.
        obj.role = saved.role if saved is not None else Role.REFERENT
        super().save_model(request, obj, form, change)
        roles.request_role(user=obj, role=wanted, by=request.user)
        messages.warning(
            request,
            f"Le rôle « {Role(wanted).label} » de {obj} attend l'accord de la coordinatrice "
            "(page « Demandes de rôle » de l'application) ; en attendant, le compte garde le "
            f"rôle « {obj.get_role_display()} ».",
        )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, NOTHING_CHANGED, False) and level == messages.SUCCESS:
            message, level = "Aucune modification : le compte est resté tel quel.", messages.INFO
        super().message_user(request, message, level, *args, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        # Rights and passwords change only with a fresh code of the second factor: a session
        # left open is not enough to take over an account.
        asked = second_factor.ask_again(request)
        if asked:
            return asked
        target = self.get_object(request, unquote(id))
        someone_else = target is not None and target.pk != request.user.pk
        if someone_else and (target.is_superuser or target.role in OWN_PASSWORD_ONLY):
            messages.error(
                request,
                f"Le mot de passe de {target} ne se réinitialise pas ici : cette personne le "
                "change elle-même (« Mot de passe » dans l'application), ou l'installateur "
                "en ligne de commande (plie changepassword).",
            )
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[target.pk]))
        return super().user_change_password(request, id, form_url)


class OrganisationForm(SiteFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "programme",
            "name",
            "employs_referents",
            "is_prescriber",
            "is_provider",
            "is_coordination",
            "prescriber_type",
            "commune",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A retired type stays offered where it is already chosen (the nomenclature is
        # territory's, which accounts does not import: reached through the field).
        field = self.fields["prescriber_type"]
        types = field.queryset.model.objects
        offered = types.filter(is_active=True)
        if self.instance.prescriber_type_id:
            offered |= types.filter(pk=self.instance.prescriber_type_id)
        field.queryset = offered.distinct()


@admin.register(Organisation)
class OrganisationAdmin(KeepReferencedAdmin):
    form = OrganisationForm
    list_display = ["name", "employs_referents", "is_prescriber", "is_provider", "is_active"]
    list_filter = ["employs_referents", "is_prescriber", "is_provider", "is_active"]
    search_fields = ["name"]


@admin.register(RoleRequest)
class RoleRequestAdmin(KeepReferencedAdmin):
    """What the administrator asked for, and what the coordinator decided: read only."""

    list_display = ["user", "previous_role", "role", "requested_by", "status", "decided_by"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Group)
# The second factor's secrets are nobody's to read, in the administration neither: a lost
# telephone is reset from the command line (`plie reset_second_factor`).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Group)
class PlieGroupAdmin(KeepReferencedAdmin, GroupAdmin):
    filter_horizontal = ()  # as for the users' permissions above
