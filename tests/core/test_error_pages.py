"""Error pages speak French, keep the menu (403, 404) and lead back home; 500 needs nothing."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import include, path, reverse

from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def refuse_in_english(request):
    raise PermissionDenied("You do not have permission")


def fail(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("anglais/", refuse_in_english),
    path("panne/", fail),
    path("", include("plie.urls")),  # the menu's links
]


def main_of(response) -> str:
    return response.content.decode().split('<main id="contenu"')[1]


def test_debug_is_off_in_tests():
    assert not settings.DEBUG


def test_a_referent_opening_another_referents_file_gets_a_french_403_with_the_menu(
    client, referent, outsider
):
    participant = ParticipantFactory(referent=referent)
    client.force_login(outsider)
    response = client.get(reverse("web:participant", args=[participant.pk]))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Forbidden" not in content
    assert "<title>Accès refusé" in content
    assert "Ce dossier ne fait pas partie de ceux que vous suivez." in main_of(response)
    assert 'aria-label="Menu principal"' in content
    assert f'href="{reverse("web:participant_list")}"' in content  # the menu, with its entries
    assert f'href="{reverse("web:home")}"' in main_of(response)
    assert '<html lang="fr">' in content


def test_a_refusal_without_a_french_reason_gets_the_general_explanation(client, coordinator):
    client.force_login(coordinator)
    with override_settings(ROOT_URLCONF="tests.core.test_error_pages"):
        response = client.get("/anglais/")
    assert response.status_code == 403
    assert "You do not have permission" not in response.content.decode()
    assert "Votre rôle ne vous permet pas d'ouvrir cette page." in response.content.decode()


def test_a_page_the_role_may_not_open_explains_it_in_french(client, referent):
    client.force_login(referent)
    response = client.get(reverse("web:journal"))
    assert response.status_code == 403
    assert "Votre rôle ne vous permet pas d'ouvrir cette page." in main_of(response)


def test_an_unknown_address_gives_a_french_404_with_the_menu(client, referent):
    client.force_login(referent)
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Not Found" not in content
    assert "<title>Page introuvable" in content
    assert "Page introuvable" in main_of(response)
    assert 'aria-label="Menu principal"' in content
    assert f'href="{reverse("web:home")}"' in main_of(response)


def test_an_unknown_record_gives_the_french_404_not_djangos_message(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("web:participant", args=[999999]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "matches the given query" not in response.content.decode()


def test_the_404_page_works_for_an_anonymous_visitor(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_500_page_needs_no_request_and_no_menu():
    content = render_to_string("500.html")  # as Django's server_error renders it
    assert "Une erreur est survenue" in content
    assert '<html lang="fr">' in content
    assert 'href="/"' in content
    assert "Menu principal" not in content


def test_a_crash_shows_the_french_500(client, coordinator):
    client.raise_request_exception = False
    client.force_login(coordinator)
    with override_settings(ROOT_URLCONF="tests.core.test_error_pages"):
        response = client.get("/panne/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_the_browsers_favicon_request_finds_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_a_refused_access_is_one_line_in_the_log_without_a_traceback(client, outsider, referent):
    import logging

    from plie.core.logging import RefusalsWithoutTraceback

    console = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert any(isinstance(f, RefusalsWithoutTraceback) for h in console for f in h.filters)
    participant = ParticipantFactory(referent=referent)
    client.force_login(outsider)
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            if RefusalsWithoutTraceback().filter(record):
                records.append(record)

    handler = Keep(level=logging.WARNING)
    logging.getLogger("django.request").addHandler(handler)
    try:
        assert client.get(reverse("web:participant", args=[participant.pk])).status_code == 403
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    (record,) = records
    assert record.getMessage().startswith("Forbidden")
    assert record.exc_info is None
