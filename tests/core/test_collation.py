"""Lists shown to people are in French alphabetical order, on SQLite and PostgreSQL alike:
accents and case are ignored first (« Fénay » before « Fontaine »)."""

import pytest
from django.urls import reverse

from plie.accounts.enums import Role
from plie.core.collation import french_sorted
from plie.core.suppression import SHOW_ALL
from plie.participants.forms import ParticipantForm
from plie.pathways.forms import TransferForm
from plie.reporting.dimensions import DIMENSIONS
from tests.factories import UserFactory, programme

pytestmark = pytest.mark.django_db


def test_accents_and_case_are_ignored_first():
    names = ["Talant", "fontaine", "Zèbre", "Écully", "Fénay", "Œuilly", "Fontaine", "Dijon"]
    assert french_sorted(names) == [
        "Dijon",
        "Écully",
        "Fénay",
        "fontaine",
        "Fontaine",
        "Œuilly",
        "Talant",
        "Zèbre",
    ]


def test_an_accent_decides_only_between_otherwise_equal_words():
    assert french_sorted(["côte", "Cote", "cote", "coté"]) == ["cote", "Cote", "coté", "côte"]


def test_the_communes_of_a_form_are_in_french_order(territory):
    form = ParticipantForm(show_sensitive=True, programme=programme())
    labels = [label for value, label in form.fields["commune"].choices if value]
    assert labels.index("Fénay") < labels.index("Flavignerot") < labels.index("Fontaine-lès-Dijon")
    assert labels == french_sorted(labels)


def test_the_referral_page_lists_fenay_before_fontaine(client, referent):
    client.force_login(referent)
    page = client.get(reverse("participants:referral_create")).content.decode()
    assert page.index(">Fénay<") < page.index(">Fontaine-lès-Dijon<")


def test_referents_are_listed_by_last_name_in_french_order(territory):
    for first, last in (("Paul", "Fabre"), ("Émilie", "Étienne"), ("Anne", "Dupont")):
        UserFactory(role=Role.REFERENT, first_name=first, last_name=last)
    labels = [label for value, label in TransferForm().fields["new_referent"].choices if value]
    assert labels == ["Anne Dupont", "Émilie Étienne", "Paul Fabre"]


def test_equal_counts_and_breakdowns_are_in_french_order():
    merged = SHOW_ALL.groups([("Fontaine-lès-Dijon", 6), ("Fénay", 6)], "Autres")
    assert merged == [("Fénay", 6), ("Fontaine-lès-Dijon", 6)]
    commune = DIMENSIONS["commune"]
    assert sorted(
        ["Fontaine-lès-Dijon", "Fénay"], key=lambda label: commune.sort_key(1, label)
    ) == [
        "Fénay",
        "Fontaine-lès-Dijon",
    ]
