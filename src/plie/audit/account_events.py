"""The journal of what happens to accounts: logins refused (the account tried; an unknown
name is not kept, people type their password in the wrong field), lockouts (once each),
passwords changed (by whom — never a password, typed or stored), roles asked for, decided
or given from the command line, accounts unlocked and second factors removed. The changes of an account's fields (role, active, name…)
are journaled by auditlog itself. Connected when the app is ready (apps.py)."""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.utils import timezone

from plie.accounts import access_help, roles
from plie.accounts.enums import RoleRequestStatus
from plie.accounts.models import User
from plie.audit.events import Event
from plie.audit.reads import current_user

UNKNOWN = "Identifiant inconnu"


def account_entry(account: User | None, event: Event, *, actor=None, **data) -> LogEntry:
    """An entry about an account (`None`: a name that matches no account)."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(account.pk) if account else "",
        object_id=account.pk if account else None,
        object_repr=str(account) if account else UNKNOWN,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        changes={},
        additional_data={"event": event, **data},
    )


def _account_named(credentials) -> User | None:
    username = (credentials or {}).get(User.USERNAME_FIELD) or ""
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


def journal_failed_login(sender, credentials=None, request=None, **kwargs) -> None:
    account = _account_named(credentials)
    account_entry(account, Event.LOGIN_FAILED)


def _cool_off() -> datetime.timedelta:
    value = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(value, datetime.timedelta):
        return value
    if isinstance(value, (int, float)):
        return datetime.timedelta(hours=value)
    return datetime.timedelta(minutes=15)


def journal_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes says so at the failure that locks, then at each attempt during the
    lockout: one entry per lockout (per account, or for unknown names together)."""
    account = _account_named({User.USERNAME_FIELD: username})
    recent = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(account.pk) if account else "",
        additional_data__event=Event.LOCKOUT,
        timestamp__gte=timezone.now() - _cool_off(),
    )
    if recent.exists():
        return
    minutes = int(_cool_off().total_seconds() // 60)
    account_entry(
        account,
        Event.LOCKOUT,
        detail=f"connexion refusée {minutes} minutes après trop d'échecs",
    )


def journal_password_change(sender, instance: User, created: bool = False, **kwargs) -> None:
    """Django keeps the new password in `_password` until the save is done: a change (not
    the account's creation) is journaled as the holder's own, or as a reset by someone else
    (the administrator, or the command line when nobody is logged in)."""
    if created or getattr(instance, "_password", None) is None:
        return
    actor = current_user()
    own = actor is not None and actor.pk == instance.pk
    account_entry(
        instance,
        Event.PASSWORD_CHANGED if own else Event.PASSWORD_RESET,
        actor=actor,
        **({} if actor is not None else {"by": "ligne de commande"}),
    )


def _role_data(role_request) -> dict:
    return {
        "from": role_request.previous_role,
        "to": role_request.role,
        "requested_by": str(role_request.requested_by),
    }


def journal_role_requested(sender, role_request, **kwargs) -> None:
    account_entry(
        role_request.user,
        Event.ROLE_REQUESTED,
        actor=role_request.requested_by,
        **_role_data(role_request),
    )


def journal_role_decided(sender, role_request, **kwargs) -> None:
    approved = role_request.status == RoleRequestStatus.APPROVED
    account_entry(
        role_request.user,
        Event.ROLE_APPROVED if approved else Event.ROLE_REFUSED,
        actor=role_request.decided_by,
        **_role_data(role_request),
    )


def journal_role_set_by_command(sender, user, previous, role, **kwargs) -> None:
    account_entry(user, Event.ROLE_SET_BY_COMMAND, **{"from": previous, "to": role})


def _helped(event: Event):
    def journal(sender, account, by, **kwargs) -> None:
        account_entry(account, event, actor=by, **({} if by else {"by": "ligne de commande"}))

    return journal


journal_unlocked = _helped(Event.ACCOUNT_UNLOCKED)
journal_second_factor_removed = _helped(Event.SECOND_FACTOR_REMOVED)


def connect() -> None:
    from axes.signals import user_locked_out

    user_login_failed.connect(journal_failed_login, dispatch_uid="plie.audit.failed_login")
    user_locked_out.connect(journal_lockout, dispatch_uid="plie.audit.lockout")
    post_save.connect(journal_password_change, sender=User, dispatch_uid="plie.audit.password")
    roles.role_requested.connect(journal_role_requested, dispatch_uid="plie.audit.role_asked")
    roles.role_decided.connect(journal_role_decided, dispatch_uid="plie.audit.role_decided")
    roles.role_set_by_command.connect(
        journal_role_set_by_command, dispatch_uid="plie.audit.role_command"
    )
    access_help.account_unlocked.connect(journal_unlocked, dispatch_uid="plie.audit.unlocked")
    access_help.second_factor_removed.connect(
        journal_second_factor_removed, dispatch_uid="plie.audit.second_factor_removed"
    )
