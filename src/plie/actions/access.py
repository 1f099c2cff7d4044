"""The actions, cohorts and sessions a user may reach, and the one accessor per object the
pages use: the team reaches every action, a référent every action (its list shows the open
ones), a provider only those its organisation's agreements fund — anything else is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.actions.models import Action, Cohort, Session


def actions_for_user(user):
    if not (user and user.is_authenticated and user.is_active):
        return Action.objects.none()
    if user.role in COORDINATION_TEAM or user.role == Role.REFERENT:
        return Action.objects.all()
    if user.role == Role.PROVIDER and user.organisation_id:
        return Action.objects.of_provider(user.organisation_id)
    return Action.objects.none()


def _refuse_without(user, permission: str, action: Action) -> None:
    if not user.has_perm(permission, action):
        raise PermissionDenied("Vous ne pouvez pas faire cela sur cette action.")


def get_action_for_user(user, pk: int, permission: str = "actions.open_action") -> Action:
    """The action `user` reaches (404 otherwise), refused (403) without `permission` on it."""
    action = get_object_or_404(
        actions_for_user(user).select_related("agreement__provider", "programme"), pk=pk
    )
    _refuse_without(user, permission, action)
    return action


def get_cohort_for_user(user, pk: int, permission: str = "actions.open_action") -> Cohort:
    """The cohort `user` reaches (404 otherwise), refused (403) without `permission` on its
    action."""
    cohort = get_object_or_404(
        Cohort.objects.filter(action__in=actions_for_user(user)).select_related(
            "action__agreement__provider"
        ),
        pk=pk,
    )
    _refuse_without(user, permission, cohort.action)
    return cohort


def get_session_for_user(user, pk: int, permission: str = "actions.open_action") -> Session:
    """The session `user` reaches (404 otherwise), refused (403) without `permission` on its
    action; its cohort and action come with it."""
    session = get_object_or_404(
        Session.objects.filter(cohort__action__in=actions_for_user(user)).select_related(
            "cohort__action__agreement__provider"
        ),
        pk=pk,
    )
    _refuse_without(user, permission, session.cohort.action)
    return session
