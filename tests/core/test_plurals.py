"""Counts read in French: « aucun dossier », « 1 dossier », « 2 dossiers », one way everywhere."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from plie.committee.enums import CommitteeItemKind
from plie.committee.models import CommitteeItem
from plie.core.plurals import counted, noun_for, of
from tests.factories import MeetingFactory, ParticipantFactory, PathwayFactory

SOURCE = Path(__file__).resolve().parents[2] / "src" / "plie"


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (0, "un dossier", "aucun dossier"),
        (1, "un dossier", "1 dossier"),
        (2, "un dossier", "2 dossiers"),
        (0, "une personne entrée", "aucune personne entrée"),
        (1, "une personne entrée", "1 personne entrée"),
        (12, "une personne entrée", "12 personnes entrées"),
        (3, "un mois", "3 mois"),  # a word ending in s does not change
        (2, "un journal|journaux", "2 journaux"),
        (1234, "une ligne", "1\u00a0234 lignes"),
    ],
)
def test_zero_and_one_take_the_singular_and_none_reads_aucun(count, noun, expected):
    assert counted(count, noun) == expected


def test_the_noun_alone_follows_the_same_rule():
    assert [noun_for(n, "une sortie") for n in (0, 1, 2)] == ["sortie", "sortie", "sorties"]


def test_a_noun_without_its_article_is_a_programming_error():
    with pytest.raises(ValueError, match="avec son article"):
        counted(2, "dossier")


def test_the_template_filter_is_the_same_rule():
    template = Template('{% load plie_figures %}{{ n|counted:"un dossier" }}')
    assert [template.render(Context({"n": n})) for n in (0, 1, 2)] == [
        "aucun dossier",
        "1 dossier",
        "2 dossiers",
    ]


def test_no_count_is_pluralised_by_hand():
    """Django's `pluralize` writes « 0 dossiers »; an `'s' if n > 1` is the same rule again."""
    by_hand = re.compile(r"\|pluralize|['\"]s['\"] if |\w\(s\)")
    offenders = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob("*"))
        if path.suffix in (".py", ".html") and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if by_hand.search(line)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_committee_list_says_aucun_dossier_then_1_dossier(client, coordinator, referent):
    MeetingFactory(held_on=timezone.localdate() + datetime.timedelta(days=7))
    busy = MeetingFactory(held_on=timezone.localdate() + datetime.timedelta(days=14))
    CommitteeItem.objects.create(
        meeting=busy,
        pathway=PathwayFactory(participant=ParticipantFactory(referent=referent)),
        kind=CommitteeItemKind.ENTRY,
        proposed_by=referent,
        proposed_referent=referent,
    )
    client.force_login(coordinator)
    page = client.get(reverse("committee:committee_list")).content.decode()
    assert "<span>aucun dossier</span>" in page
    assert "<span>1 dossier, dont 1 à examiner</span>" in page
    assert "0 dossier" not in page


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Organisme A", "d'Organisme A"),
        ("Emmaüs", "d'Emmaüs"),
        ("École de la deuxième chance", "d'École de la deuxième chance"),
        ("Lumière", "de Lumière"),
        ("Harmonie", "de Harmonie"),
        ("", "de "),
    ],
)
def test_de_is_elided_before_a_vowel_only(name, written):
    assert of(name) == written
