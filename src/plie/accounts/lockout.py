"""Login lockout by account and by address, each with its own limit (django-axes).

An account is locked after `AXES_FAILURE_LIMIT` failures (5), whatever the addresses they
came from, so that guessing one person's password from many machines fails; an address is
locked after `PLIE_ADDRESS_FAILURE_LIMIT` failures (20), whatever the accounts tried, so
that trying a few passwords on each of many accounts from one machine fails too. Both last
`AXES_COOLOFF_TIME` (15 minutes) after the last failure.

django-axes keeps one row per account, address and browser, and compares one count with
one limit; this handler gives it that count: the account's failures, or the address's
expressed on the account's scale (20 failures of an address count as 5), whichever is
higher. A successful login clears the failures of that account only: logging in with a
known account must not wipe out what an address has been trying on the others.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The visitor's address: behind the HTTPS proxy (BEHIND_HTTPS_PROXY), the last address
    of X-Forwarded-For — the one our proxy saw and appended; the others are the client's word."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    def failures_by_account_and_address(self, request, credentials=None) -> tuple[int, int]:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=request.axes_ip_address))
        return by_account, by_address

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = self.failures_by_account_and_address(request, credentials)
        account_limit = settings.AXES_FAILURE_LIMIT
        # floor(n × 5 / 20) reaches 5 exactly when n reaches 20.
        return max(by_account, by_address * account_limit // settings.PLIE_ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
