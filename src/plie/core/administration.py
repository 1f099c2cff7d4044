"""What every page of the administration (`/admin/`) keeps to: a row that other rows use is
never deleted — the records that hold it would lose it without a trace — and no page names
what uses it. Django's delete pages list every related object by its name (a référent's
participants, a neighbourhood's residents); here they give counts ("16 parcours") and say
how to retire the value instead.

`KeepReferencedAdmin` is the base of every ModelAdmin of the application (a test checks it).
It counts the rows that point at an object, one COUNT per relation, without loading them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst

from plie.core.forms import SiteFormMixin

RETIRE = (
    "Une valeur utilisée ne se supprime pas : les dossiers qui l'ont la perdraient sans "
    "trace. Décochez « proposé à la saisie » (ou « active ») pour ne plus la proposer."
)


def references(obj: models.Model) -> list[str]:
    """What uses `obj`, in counts and words ("16 parcours (freins)"), never by name."""
    found = []
    for relation in obj._meta.related_objects:
        field = relation.field
        related = relation.related_model
        if relation.many_to_many:
            through = field.remote_field.through
            count = through._base_manager.filter(**{field.m2m_reverse_field_name(): obj.pk}).count()
        else:
            count = related._base_manager.filter(**{field.name: obj.pk}).count()
        if count:
            name = related._meta.verbose_name if count == 1 else related._meta.verbose_name_plural
            found.append(f"{count} {name} ({field.verbose_name})")
    return found


class KeepReferencedAdmin(admin.ModelAdmin):
    """Deletes only what nothing uses; otherwise says what uses it, in numbers. Its forms
    make the checks of every form of the site (core.forms.SiteFormMixin)."""

    # A refusal says nothing was deleted, with a way back (not Django's « would require
    # deleting the following protected related objects »).
    delete_confirmation_template = "admin/plie/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/plie/delete_selected_confirmation.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, SiteFormMixin):
            return form
        return type(form.__name__, (SiteFormMixin, form), {})

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not references(obj))

    def get_deleted_objects(self, objs, request):
        """Django's confirmation page, with counts instead of names: anything used is
        « protected » (not deleted), and nothing but the objects themselves is listed."""
        protected = []
        for obj in objs:
            used_by = references(obj)
            if used_by:
                protected.append(
                    f"{capfirst(str(obj._meta.verbose_name))} « {obj} » : utilisé par "
                    + ", ".join(used_by)
                    + ". "
                    + RETIRE
                )
        if protected:
            return [], {}, set(), protected
        _listed, model_count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        return [str(obj) for obj in objs], model_count, perms_needed, []

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and super().has_delete_permission(request, obj):
            used_by = references(obj)
            if used_by:
                messages.error(request, f"« {obj} » est utilisé par {', '.join(used_by)}. {RETIRE}")
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[quote(obj.pk)],
                        current_app=self.admin_site.name,
                    )
                )
        return super().delete_view(request, object_id, extra_context)


class ShowsRowsOnly:
    """A library's page in the administration (login attempts, background tasks): its rows
    are shown, never added nor edited by hand — a row deleted stays possible where the
    library offers it (an attempt deleted unlocks an account)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def show_library_rows_only(site: admin.AdminSite) -> None:
    """Every page the libraries register shows its rows only (see ShowsRowsOnly); the
    application's own pages use KeepReferencedAdmin, whose forms check their input."""
    for model, model_admin in list(site._registry.items()):
        if model.__module__.startswith("plie.") or isinstance(model_admin, ShowsRowsOnly):
            continue
        admin_class = type(model_admin)
        site.unregister(model)
        site.register(model, type(admin_class.__name__, (ShowsRowsOnly, admin_class), {}))


NOT_FOR_YOUR_ROLE = (
    "L'administration est réservée à l'administrateur du PLIE : votre rôle ne permet pas de "
    "l'ouvrir."
)


def refuse_signed_in_outsiders(site: admin.AdminSite) -> None:
    """Someone signed in whom the administration does not admit gets the application's
    « Accès refusé » page, not Django's second login form (« Vous êtes authentifié sous le
    nom …, mais vous n'êtes pas autorisé… »); the signed out still get the login form."""
    login = site.login

    def login_or_refuse(request, extra_context=None):
        if request.user.is_authenticated and not site.has_permission(request):
            raise PermissionDenied(NOT_FOR_YOUR_ROLE)
        return login(request, extra_context)

    site.login = login_or_refuse  # type: ignore[method-assign]
