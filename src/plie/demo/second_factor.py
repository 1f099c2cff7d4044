"""The demo accounts' second factor: a TOTP secret derived from the account's name, so that
`plie demo` prints it, the README gives it, and `plie totp ACCOUNT` shows the current code —
the two-command start keeps working where the second factor is asked (DEBUG off).

Public by design, like the demo password: only the accounts `plie demo` creates get it, and
`plie totp` refuses an account whose secret is not the demo's.
"""

import base64
import hashlib
import time

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.accounts.models import User
from plie.accounts.second_factor import APPLICATION_NAME


def demo_key(username: str) -> bytes:
    return hashlib.sha256(f"plie-demo-totp:{username}".encode()).digest()[:20]


def demo_secret(username: str) -> str:
    """As an authentication application asks for it: base 32, by groups of four."""
    secret = base64.b32encode(demo_key(username)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def give_demo_devices(usernames) -> int:
    """A confirmed application with the demo secret for each account that has none (a demo
    base made before the second factor included); the number given."""
    given = 0
    with transaction.atomic():
        for user in User.objects.filter(username__in=usernames):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                continue
            TOTPDevice.objects.create(
                user=user, name=APPLICATION_NAME, key=demo_key(user.username).hex(), confirmed=True
            )
            given += 1
    return given


def current_code(username: str) -> tuple[str, int] | None:
    """The code of the moment and the seconds it stays valid, or None when the account has
    no application with the demo secret."""
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None or device.bin_key != demo_key(username):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    totp.time = now
    left = device.step - int(now - device.t0) % device.step
    return f"{totp.token():0{device.digits}d}", left
