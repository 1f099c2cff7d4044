"""A wrong query parameter, case by case: a French 400 that says what to take, at the edges
of each page's bounds (core/queries.py); the pages that said so on a 200 keep doing it."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

EXITS = reverse("pathways:exits")


def reason(response) -> str:
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Adresse incorrecte</h1>" in page and '<html lang="fr">' in page
    return page


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize("year", ["0", "1899", "99999999999999999999", "-1", "²", "٣", "2e3"])
def test_an_exit_year_outside_1900_to_this_year_is_a_400(signed_in, year):
    this_year = timezone.localdate().year
    page = reason(signed_in.get(EXITS, {"annee": year}))
    if year.isascii() and year.isdigit():
        expected = f"doit être une année de 1900 à {this_year}"
    else:
        expected = "doit être une année, en chiffres de 0 à 9."
    assert escape(f"Le paramètre « annee » de l'adresse {expected}") in page
    assert "Revenez à la page précédente ou repartez du menu." in page


def test_next_year_has_no_exits_to_show_yet(signed_in):
    next_year = str(timezone.localdate().year + 1)
    assert "1900 à" in reason(signed_in.get(EXITS, {"annee": next_year}))


@pytest.mark.parametrize("year", ["1900", "2000", "current"])
def test_an_exit_year_from_1900_to_this_year_is_shown(signed_in, year):
    year = str(timezone.localdate().year) if year == "current" else year
    response = signed_in.get(EXITS, {"annee": year})
    assert response.status_code == 200
    assert response.context["year"] == int(year)


def test_no_year_is_this_year(signed_in):
    assert signed_in.get(EXITS, {"annee": ""}).context["year"] == timezone.localdate().year


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "1000001"])
def test_a_page_number_that_is_no_page_is_a_400(signed_in, page):
    assert "« page »" in reason(signed_in.get(EXITS, {"page": page}))


@pytest.mark.parametrize("page", ["1", "2", "1000000"])
def test_a_page_beyond_the_last_shows_the_last(signed_in, page):
    response = signed_in.get(reverse("web:participant_list"), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1  # one page, empty


def test_a_file_format_not_offered_is_a_400_naming_those_offered(signed_in):
    page = reason(signed_in.get(reverse("reporting:cohort"), {"format": "exe"}))
    assert escape("ne peut valoir que « pdf », « xlsx ».") in page


@pytest.mark.parametrize(
    "value", ["\x00", "Dupont\x00", "\u202eDupont", "x" * 2001], ids=["nul", "nul2", "rlo", "long"]
)
def test_a_hidden_character_or_an_over_long_value_is_a_400_anywhere(signed_in, value):
    for path in (reverse("web:participant_list"), reverse("web:home"), "/admin/"):
        page = reason(signed_in.get(path, {"inconnu": value}))
        assert "contient un paramètre trop long ou un caractère invisible ou de contrôle" in page
        assert "Dupont" not in page


def test_a_search_longer_than_a_page_reads_is_a_400(signed_in):
    reason(signed_in.get(reverse("web:participant_list"), {"q": "x" * 301}))
    assert signed_in.get(reverse("web:participant_list"), {"q": "x" * 300}).status_code == 200


def test_an_htmx_request_gets_the_message_alone_to_swap(signed_in):
    response = signed_in.get(
        reverse("web:participant_list"), {"q": "\x00"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    fragment = response.content.decode()
    assert "<html" not in fragment and 'role="alert"' in fragment
    assert "caractère invisible" in fragment


def test_the_page_is_configured_to_swap_a_400_from_htmx(signed_in):
    page = signed_in.get(reverse("web:participant_list")).content.decode()
    assert '{"code": "400", "swap": true, "error": true}' in page


def test_a_refusal_by_django_itself_gets_the_general_french_text(signed_in):
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
        page = reason(signed_in.get(reverse("web:home") + "?a=1&b=2&c=3"))
    assert "La demande reçue est incorrecte" in page
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" not in page


def test_a_key_figures_year_in_other_digits_says_it_is_not_available(signed_in):
    page = signed_in.get(reverse("reporting:key_figures"), {"annee": "²"}).content.decode()
    assert escape("L'année « ² » n'est pas disponible") in page


@pytest.mark.parametrize("asked", ["²", "0", "99999999999999999999"])
def test_a_worklist_referent_that_is_no_number_says_so(signed_in, asked):
    page = signed_in.get(reverse("pathways:worklists"), {"referent": asked}).content.decode()
    assert "Ce référent n&#x27;existe pas" in page


def test_a_filter_form_keeps_explaining_its_own_errors(signed_in):
    ParticipantFactory()
    response = signed_in.get(reverse("web:participant_list"), {"status": "inconnu"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]


@pytest.mark.parametrize("target", ["0", "home", "//exemple.invalid/", "https://exemple.invalid/"])
def test_a_next_that_is_no_path_of_this_site_leads_home(client, referent, target):
    client.force_login(referent)
    response = client.get(reverse("accounts:reauthenticate"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
