"""The participant page and the menu are assembled from what each app declares (core.plugins):
the sections in their order with links to jump between them, the history of every app."""

import datetime
import re

import pytest
from django.urls import reverse

from plie.core import plugins
from plie.core.plugins import HistoryEvent, MenuEntry, ParticipantSection
from plie.participants.enums import PathwayStatus
from tests.factories import PathwayFactory, StepFactory, active_pathway

pytestmark = pytest.mark.django_db


def section_links(response) -> list[str]:
    nav = re.search(r'<nav class="participant-sections.*?</nav>', response.content.decode(), re.S)
    return re.findall(r'href="#([\w-]+)"', nav.group(0)) if nav else []


def test_the_page_of_a_person_in_a_pathway_jumps_to_each_of_its_sections(client, referent):
    pathway = active_pathway(referent, entry_date=datetime.date(2026, 1, 5))
    StepFactory(pathway=pathway)
    client.force_login(referent)

    response = client.get(reverse("web:participant", args=[pathway.participant.pk]))

    # The committee's section (propose the exit) stands beside the exit conditions; the
    # actions (refer to one) follow the steps they become.
    assert section_links(response) == [
        "identite",
        "orientation",
        "etapes",
        "actions",
        "sortie",
        "commission",
        "contacts",
        "parcours",
        "eligibilite",
        "historique",
    ]
    for anchor in section_links(response):
        assert f'id="{anchor}"' in response.content.decode()


def test_an_entry_file_shows_the_committee_after_eligibility_and_no_steps(client, referent):
    pathway = active_pathway(referent, entry_date=datetime.date(2026, 1, 5))
    pathway.status, pathway.entry_date = PathwayStatus.DRAFT, None
    pathway.save()
    client.force_login(referent)

    links = section_links(client.get(reverse("web:participant", args=[pathway.participant_id])))

    assert "etapes" not in links and "contacts" not in links
    # Nothing to propose before the eligibility is assessed: no committee section yet.
    assert links == ["identite", "orientation", "parcours", "eligibilite", "historique"]


def test_a_section_declared_by_an_app_appears_without_editing_the_web_layer(
    client, referent, monkeypatch
):
    pathway = PathwayFactory(participant__referent=referent)
    monkeypatch.setattr(plugins.registry, "sections", list(plugins.registry.sections))
    plugins.declare_participant_section(
        ParticipantSection(
            "bilan-test",
            "Bilan d'une action",
            "participants/_identity.html",
            lambda page: {} if page.user == referent else None,
            order=15,
        )
    )
    client.force_login(referent)

    links = section_links(client.get(reverse("web:participant", args=[pathway.participant_id])))

    assert links[:3] == ["identite", "bilan-test", "parcours"]


def test_two_sections_cannot_share_an_anchor(monkeypatch):
    monkeypatch.setattr(plugins.registry, "sections", list(plugins.registry.sections))
    with pytest.raises(ValueError, match="identite"):
        plugins.declare_participant_section(
            ParticipantSection("identite", "Autre", "x.html", lambda page: {}, order=1)
        )


def test_the_history_of_a_day_follows_the_course_of_the_pathway(monkeypatch):
    day = datetime.date(2026, 3, 2)
    monkeypatch.setattr(plugins.registry, "history", [])
    plugins.declare_history_source(
        lambda participant, show_sensitive: [
            HistoryEvent(day, "Début d'étape", rank=6),
            HistoryEvent(day, "Orientation", rank=0),
            HistoryEvent(day - datetime.timedelta(days=1), "La veille", rank=9),
            HistoryEvent(
                day,
                "Examen (l'après-midi)",
                rank=3,
                at=datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC),
            ),
            HistoryEvent(
                day,
                "Examen (le matin)",
                rank=3,
                at=datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
            ),
        ]
    )

    titles = [event.title for event in plugins.history_of(None, True)]

    # Newest first: the latest step of the day's course first, then the latest time.
    assert titles == [
        "Début d'étape",
        "Examen (l'après-midi)",
        "Examen (le matin)",
        "Orientation",
        "La veille",
    ]


def test_the_menu_is_assembled_from_the_declared_entries_and_the_user_s_rights(
    client, referent, coordinator, monkeypatch
):
    monkeypatch.setattr(plugins.registry, "menu", list(plugins.registry.menu))
    plugins.declare_menu_entry(
        MenuEntry(
            "Essai d'entrée",
            "web:home",
            lambda user: user.is_coordination_team,
            order=70,
        )
    )
    client.force_login(coordinator)
    coordination_menu = client.get(reverse("pathways:worklists")).context["menu"]
    client.force_login(referent)
    referent_menu = client.get(reverse("pathways:worklists")).context["menu"]

    labels = [item["label"] for item in coordination_menu]
    assert labels.index("Commissions") < labels.index("Essai d'entrée") < labels.index("Pilotage")
    assert "Essai d'entrée" not in [item["label"] for item in referent_menu]


def test_the_history_reads_the_same_number_of_queries_however_many_pathways(referent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plie.participants.enums import ExitReason

    def queries_for(participant) -> int:
        with CaptureQueriesContext(connection) as captured:
            plugins.history_of(participant, True)
        return len(captured)

    first = active_pathway(referent, entry_date=datetime.date(2024, 1, 8))
    StepFactory(pathway=first)
    once = queries_for(first.participant)
    first.status, first.exit_date = PathwayStatus.EXITED, datetime.date(2024, 12, 2)
    first.exit_reason = ExitReason.ABANDONED
    first.save()
    for number in (2, 3):
        again = PathwayFactory(
            participant=first.participant,
            number=number,
            referent=referent,
            status=PathwayStatus.EXITED,
            entry_date=datetime.date(2024 + number - 1, 1, 8),
            exit_date=datetime.date(2024 + number - 1, 12, 2),
            exit_reason=ExitReason.ABANDONED,
        )
        StepFactory(pathway=again)

    assert queries_for(first.participant) == once
