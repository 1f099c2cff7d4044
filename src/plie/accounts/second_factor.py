"""The second factor (django-otp): a six-digit code from an authentication application
(TOTP, RFC 6238), or one of ten backup codes, asked of every account after its password
whenever `PLIE_SECOND_FACTOR` is on (it is, unless DEBUG) — and asked again before what
would hurt most if a session were stolen: downloading files that name people, changing
someone's rights (`require_recent_second_factor`).

One application per person: enrolling again replaces the previous one and its backup codes.
A backup code works once. Wrong codes slow the next try down (django-otp's throttling:
1, 2, 4… seconds). A lost telephone without backup codes: `plie reset_second_factor`.
"""

import base64
import dataclasses
import functools
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.core.plurals import counted

APPLICATION_NAME = "Application d'authentification"
BACKUP_NAME = "Codes de secours"
BACKUP_CODES = 10
VERIFIED_AT = "plie_second_factor_at"  # session key: when the last code was accepted


def required() -> bool:
    return settings.PLIE_SECOND_FACTOR


def has_application(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Enrolment -------------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The application being added: the same secret however often the page is reloaded,
    until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APPLICATION_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an application asks for it when typed: base 32, by groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The QR code of the application's set-up address, as SVG to put in the page (no image
    file, no outside service): dark modules on white, whatever the page's colours."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        dark="#000",
        light="#fff",
        title="Code QR à scanner avec l'application d'authentification",
        svgclass="plie-qr-code",
        lineclass=None,
        omitsize=False,
    )


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(request, device: TOTPDevice, code: str) -> list[str] | None:
    """The application confirmed by its first code: it replaces the previous one, ten new
    backup codes replace the old ones, and the session counts as verified. The codes, to
    show once; None when the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
        if not device.verify_token(normalised(code)):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(device.user)
    _verified(request, device)
    return codes


def replace_backup_codes(user) -> list[str]:
    with transaction.atomic():
        return _new_backup_codes(user)


# Verification ----------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    accepted: bool
    message: str = ""
    backup_code_used: bool = False


def normalised(code: str) -> str:
    """« 123 456 », « abcd-efgh », « ABCD EFGH »: as typed from a screen or a sheet."""
    return "".join(code.split()).replace("-", "").lower()


def _throttled(devices) -> str:
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and "locked_until" in details:
            seconds = max(1, round((details["locked_until"] - timezone.now()).total_seconds()))
            return (
                f"Code refusé : après un code erroné, attendez {counted(seconds, 'une seconde')} "
                "avant d'essayer de nouveau (l'attente double à chaque erreur)."
            )
    return ""


def verify(request, code: str) -> Outcome:
    """A code of the signed-in person's application or one of their backup codes."""
    user = request.user
    code = normalised(code)
    is_application_code = code.isdigit() and len(code) == 6
    model = TOTPDevice if is_application_code else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True))
        if wait := _throttled(devices):
            return Outcome(False, wait)
        device = next((d for d in devices if d.verify_token(code)), None)
    if device is None:
        return Outcome(
            False,
            "Ce code n'est pas valable : saisissez le code à 6 chiffres que l'application "
            "affiche maintenant (il change toutes les 30 secondes), ou l'un de vos codes de "
            "secours.",
        )
    _verified(request, device)
    return Outcome(True, backup_code_used=not is_application_code)


def _verified(request, device) -> None:
    otp_login(request, device)
    request.session[VERIFIED_AT] = int(time.time())


def is_verified(request) -> bool:
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def recently_verified(request) -> bool:
    verified_at = request.session.get(VERIFIED_AT)
    window = settings.PLIE_REAUTHENTICATION_MINUTES * 60
    return (
        is_verified(request)
        and isinstance(verified_at, int)
        and 0 <= time.time() - verified_at <= window
    )


# Asking for a code again -----------------------------------------------------------------


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def ask_again(request):
    """The response that sends the person to type a fresh code, then back here; None when
    the last code is recent enough (or the second factor is off)."""
    if not required() or recently_verified(request):
        return None
    back = request.get_full_path() if request.method == "GET" else request.path
    if request.method != "GET":
        messages.warning(
            request,
            "Rien n'a été enregistré : confirmez d'abord votre identité avec un code, puis "
            "recommencez.",
        )
    target = with_next("accounts:reauthenticate", back)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target)
    return redirect(target)


def require_recent_second_factor(view):
    """For a view that hands out named data or changes rights: a code typed in the last
    few minutes (PLIE_REAUTHENTICATION_MINUTES), or the page that asks for one."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return ask_again(request) or view(request, *args, **kwargs)

    return wrapper
