"""Who may do what, declared once: every permission of the application is an action with a
French name, declared by the app that decides it (its rules.py), beside its django-rules
predicate. Nothing else grants a permission of the application.

The web layer reads these declarations: it writes the table of roles × actions
(docs/permissions.md, `plie permissions --markdown`) by evaluating each predicate for each role,
on a record of one's own and on someone else's, and it says which action each address needs,
which the permission-matrix test checks for every address and every role. Core knows no role
and no model: an action names the kind of object it is decided on (`on`), and the web layer
builds such objects.

Asking about a permission that is not a declared action is a mistake, said loudly
(`DeclaredPermissionBackend`), unless it is one of Django's model permissions asked about
no object (the administration's): a misspelt or renamed name would otherwise refuse
everyone without a word.
"""

from __future__ import annotations

import dataclasses
import functools

import rules
from django.apps import apps
from rules.permissions import ObjectPermissionBackend


@dataclasses.dataclass(frozen=True)
class Action:
    """One thing a user may be allowed to do, as the table of roles shows it."""

    permission: str  # "app_label.verb_noun", the django-rules permission that decides it
    label: str  # French, for docs/permissions.md
    group: str  # French heading of the table it belongs to
    on: str = ""  # the kind of object it is decided on ("participant"…), "" for none
    note: str = ""  # French, printed under the table

    @property
    def app_label(self) -> str:
        return self.permission.split(".")[0]


_actions: dict[str, Action] = {}


def declare_action(
    permission: str, predicate, *, label: str, group: str, on: str = "", note: str = ""
) -> Action:
    """Add the permission to django-rules and the action to the table, once."""
    action = Action(permission, label, group, on, note)
    known = _actions.get(permission)
    if known is not None:
        if known != action:
            raise ValueError(f"The action {permission} is declared twice, differently")
        return known
    rules.add_perm(permission, predicate)
    _actions[permission] = action
    return action


def actions() -> list[Action]:
    """Every declared action, in the order of declaration (the order of the apps)."""
    return list(_actions.values())


def action(permission: str) -> Action:
    try:
        return _actions[permission]
    except KeyError:
        raise LookupError(
            f"{permission} is not a declared action: declare it with declare_action in its "
            "app's rules.py (docs/permissions.md)"
        ) from None


def allows(permission: str, user, obj=None) -> bool:
    """The declared predicate alone, without Django's other backends (model permissions
    given in the administration are not roles)."""
    return bool(rules.has_perm(action(permission).permission, user, obj))


class UndeclaredPermission(LookupError):
    pass


@functools.cache
def model_permissions() -> frozenset[str]:
    """Django's permissions on the models ("territory.change_commune"), which the
    administration checks; computed from the models, as Django creates them."""
    names = set()
    for model in apps.get_models():
        meta = model._meta
        names.update(
            f"{meta.app_label}.{verb}_{meta.model_name}" for verb in meta.default_permissions
        )
        names.update(f"{meta.app_label}.{codename}" for codename, _ in meta.permissions)
    return frozenset(names)


class DeclaredPermissionBackend(ObjectPermissionBackend):
    """django-rules' backend, which refuses to answer about a permission nobody declared.
    Django's model permissions ignore objects: asked about an object, a name is the
    application's, and must be declared."""

    def has_perm(self, user, perm, *args, **kwargs):
        obj = args[0] if args else kwargs.get("obj")
        if perm not in _actions and (obj is not None or perm not in model_permissions()):
            raise UndeclaredPermission(
                f"{perm} is not a declared action (core.permissions.declare_action): a "
                "misspelt or renamed permission?"
            )
        return super().has_perm(user, perm, *args, **kwargs)
