"""Notices: what the application tells a user (a deposit receipt, a written consultation to
answer, an award, a deliverable to check) is kept on their « Avis » page and sent by e-mail
through Django's backend (the console in the demo, SMTP when EMAIL_HOST is set).

The e-mail leaves once the transaction that wrote the notice is committed: a write that fails
sends nothing. A notice names calls, agreements and documents, never a participant; an e-mail
that cannot be sent leaves the notice on the page, and the log says which notice, not to whom.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from plie.core.models import Notice

logger = logging.getLogger(__name__)

SIGNATURE = (
    "\n\n—\nCe message vous est envoyé par l'application du PLIE. "
    "Retrouvez-le dans vos avis, une fois connecté(e)."
)


def _absolute(url: str) -> str:
    base = getattr(settings, "PLIE_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def notify(recipients: Iterable, *, subject: str, body: str, url: str = "") -> list[Notice]:
    """Leave the notice to each active recipient (users; the same user once) and e-mail it to
    those who have an address, after the commit."""
    seen: set[int] = set()
    people = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        people.append(user)
    notices = Notice.objects.bulk_create(
        Notice(recipient=user, subject=subject[:200], body=body, url=url) for user in people
    )
    with_address = [
        (notice, user) for notice, user in zip(notices, people, strict=True) if user.email
    ]
    if with_address:
        transaction.on_commit(lambda: _send(with_address))
    return notices


def _send(pairs) -> None:
    sent = []
    for notice, user in pairs:
        text = notice.body + (f"\n\n{_absolute(notice.url)}" if notice.url else "") + SIGNATURE
        try:
            send_mail(notice.subject, text, None, [user.email])
        except Exception:  # a mail server down must not undo the work done
            logger.warning("Avis %s : le courriel n'a pas pu être envoyé", notice.pk)
            continue
        sent.append(notice.pk)
    if sent:
        Notice.objects.filter(pk__in=sent).update(emailed=True)
