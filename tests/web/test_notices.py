"""Notices: left on the « Avis » page and sent by e-mail once the write is committed; a user
opens their own only."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from plie.accounts.enums import Role
from plie.core.models import Notice
from plie.core.notices import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(territory):
    return UserFactory(username="coord", role=Role.COORDINATOR, email="coord@example.org")


def test_a_notice_is_left_once_per_active_recipient_and_emailed_after_the_commit(
    coordinator, django_capture_on_commit_callbacks
):
    away = UserFactory(role=Role.PROVIDER, email="parti@example.org", is_active=False)
    no_address = UserFactory(role=Role.PROVIDER, email="")
    with django_capture_on_commit_callbacks(execute=True):
        notices = notify(
            [coordinator, coordinator, away, no_address, None],
            subject="Livrable reçu",
            body="Le bilan intermédiaire est arrivé.",
            url="/avis/",
        )
    assert [n.recipient for n in notices] == [coordinator, no_address]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["coord@example.org"]
    assert mail.outbox[0].subject == "Livrable reçu"
    assert "http://127.0.0.1:8000/avis/" in mail.outbox[0].body
    assert Notice.objects.get(recipient=coordinator).emailed
    assert not Notice.objects.get(recipient=no_address).emailed


def test_nothing_is_sent_when_the_write_is_undone(coordinator):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([coordinator], subject="Attribution", body="…")
        raise RuntimeError("la suite a échoué")
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_a_mail_server_down_keeps_the_notice_on_the_page(
    coordinator, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        notify([coordinator], subject="Attribution", body="Le marché est attribué.")
    notice = Notice.objects.get()
    assert not notice.emailed


def test_the_page_lists_ones_own_notices_and_opening_one_marks_it_read(client, coordinator):
    other = UserFactory(role=Role.PROVIDER)
    (mine,) = notify([coordinator], subject="Consultation à rendre", body="…", url="/journal/")
    (theirs,) = notify([other], subject="Accusé de dépôt secret", body="…")
    client.force_login(coordinator)
    page = client.get(reverse("web:notices")).content.decode()
    assert "Consultation à rendre" in page and "Accusé de dépôt secret" not in page
    assert "1 avis non lu" in page
    response = client.post(reverse("web:notices"), {"ouvrir": mine.pk})
    assert response.status_code == 302 and response["Location"] == "/journal/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("web:notices"), {"ouvrir": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_address_elsewhere_is_not_followed(client, coordinator):
    (notice,) = notify([coordinator], subject="Avis", body="…", url="https://ailleurs.example/")
    client.force_login(coordinator)
    response = client.post(reverse("web:notices"), {"ouvrir": notice.pk})
    assert response["Location"] == reverse("web:notices")


def test_mark_all_read(client, coordinator):
    notify([coordinator], subject="Un", body="…")
    notify([coordinator], subject="Deux", body="…")
    client.force_login(coordinator)
    client.post(reverse("web:notices"), {"tout_lu": "1"})
    assert not Notice.objects.unread().exists()
    page = client.get(reverse("web:notices")).content.decode()
    assert ">Avis</a>" in page and "non lu" not in page
