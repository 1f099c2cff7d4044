"""Helping a colleague back in: an account locked after wrong passwords is unlocked, a second
factor lost with its backup codes is removed, by a coordinator in the application (page
« Accès des comptes ») or from the command line (`plie reset_second_factor`).

Unlocking clears the account's failed attempts (the lockout of an address, after failures on
many accounts, is left to expire: it says someone is trying, not that a colleague erred).
Removing the second factor deletes the application and the backup codes: at the next login,
after the password, the person adds a new application. Nobody does either for their own
account — that is what a stolen password would try. Each is journaled by a signal
(audit/account_events.py).
"""

from __future__ import annotations

import dataclasses

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.dispatch import Signal
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.accounts.models import User

# Sent with `account` and `by` (None from the command line).
account_unlocked = Signal()
second_factor_removed = Signal()

NOT_FOR_ONESELF = (
    "Vous ne pouvez pas le faire pour votre propre compte : demandez-le à une autre "
    "coordinatrice, ou à l'installateur en ligne de commande."
)


@dataclasses.dataclass(frozen=True)
class AccountAccess:
    """What the page shows of one account: locked now, and its second factor."""

    account: User
    failures: int
    locked: bool
    has_application: bool


def recent_failures() -> dict[str, int]:
    """Failed logins per account name within the lockout period."""
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())
        .values("username")
        .annotate(total=Sum("failures_since_start"))
    )
    return {row["username"]: row["total"] or 0 for row in rows if row["username"]}


def accounts_access() -> list[AccountAccess]:
    """Every active account, locked ones first, then by name."""
    failures = recent_failures()
    with_application = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    rows = [
        AccountAccess(
            account=account,
            failures=failures.get(account.username, 0),
            locked=failures.get(account.username, 0) >= settings.AXES_FAILURE_LIMIT,
            has_application=account.pk in with_application,
        )
        for account in User.objects.filter(is_active=True).select_related("organisation")
    ]
    return sorted(
        rows,
        key=lambda row: (not row.locked, row.account.last_name.casefold(), row.account.username),
    )


def _not_oneself(account: User, by: User | None) -> None:
    if by is not None and by.pk == account.pk:
        raise ValidationError(NOT_FOR_ONESELF)


@transaction.atomic
def unlock(*, account: User, by: User | None) -> int:
    """Clears the account's failed attempts; how many rows were cleared."""
    _not_oneself(account, by)
    count, _ = AccessAttempt.objects.filter(username=account.username).delete()
    account_unlocked.send(sender=User, account=account, by=by)
    return count


@transaction.atomic
def remove_second_factor(*, account: User, by: User | None) -> None:
    """Deletes the account's application and backup codes (it adds a new one next time)."""
    _not_oneself(account, by)
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    second_factor_removed.send(sender=User, account=account, by=by)
