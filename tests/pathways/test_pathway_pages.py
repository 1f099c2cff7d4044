"""Pathway pages for every role: who may record steps, contacts, exits, transfers; and the
pages do what they say through the browser's forms (POST, redirect, message)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plie.committee.models import CommitteeItem
from plie.participants.enums import ExitReason, PathwayStatus
from plie.pathways.enums import ContactMode, StepOutcome
from plie.pathways.models import Contact, FollowUp, ReferentChange, Step, StepType
from tests.factories import MeetingFactory, StepFactory, UserFactory, active_pathway
from tests.forms import posted

pytestmark = pytest.mark.django_db

ALL_ROLES = [
    "referent",
    "outsider",
    "coordinator",
    "project_officer",
    "assistant",
    "provider",
    "steering_viewer",
    "administrator",
]


def exited_in_june(referent, day: int, reason):
    """A pathway entered on 5 January 2026 and exited on `day` June, for `reason`."""
    from plie.participants.enums import PathwayStatus

    pathway = active_pathway(referent, entry_date=datetime.date(2026, 1, 5))
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = datetime.date(2026, 6, day)
    pathway.exit_reason = reason
    pathway.save()
    return pathway


def page_urls(referent) -> dict[str, str]:
    today = timezone.localdate()
    pathway = active_pathway(referent, entry_date=today - datetime.timedelta(days=200))
    step = StepFactory(pathway=pathway, start_date=today - datetime.timedelta(days=100))
    contact = Contact.objects.create(
        pathway=pathway,
        contacted_on=today - datetime.timedelta(days=3),
        mode=ContactMode.PHONE,
        summary="Compte rendu confidentiel",
        by=referent,
    )
    left = active_pathway(referent, entry_date=today - datetime.timedelta(days=400))
    left.status = PathwayStatus.EXITED
    left.exit_date = today - datetime.timedelta(days=170)
    left.exit_reason = ExitReason.POSITIVE
    left.save()
    FollowUp.objects.create(pathway=left, due_on=today + datetime.timedelta(days=10))
    pk, other = pathway.participant.pk, left.participant.pk
    return {
        "step_add": reverse("pathways:step_add", args=[pk, 1]),
        "step_edit": reverse("pathways:step_edit", args=[pk, 1, step.pk]),
        "step_withdraw": reverse("pathways:step_withdraw", args=[pk, 1, step.pk]),
        "contact_add": reverse("pathways:contact_add", args=[pk, 1]),
        "contact_edit": reverse("pathways:contact_edit", args=[pk, 1, contact.pk]),
        "contact_withdraw": reverse("pathways:contact_withdraw", args=[pk, 1, contact.pk]),
        "transfer": reverse("pathways:transfer", args=[pk, 1]),
        "propose_exit": reverse("committee:propose_exit", args=[pk, 1]),
        "follow_up": reverse("pathways:follow_up", args=[other, 1]),
        "worklists": reverse("pathways:worklists"),
        "caseloads": reverse("pathways:caseloads"),
        "exits": reverse("pathways:exits"),
        "detail": reverse("web:participant", args=[pk]),
    }


FOLLOWERS = {"referent", "coordinator", "project_officer"}
ALLOWED = {
    "step_add": FOLLOWERS,
    "step_edit": FOLLOWERS,
    "step_withdraw": FOLLOWERS,
    "contact_add": FOLLOWERS,
    "contact_edit": FOLLOWERS,
    "contact_withdraw": FOLLOWERS,
    "transfer": {"coordinator", "project_officer"},
    "propose_exit": FOLLOWERS,
    "follow_up": FOLLOWERS,
    "worklists": {"referent", "outsider", "coordinator", "project_officer", "assistant"},
    "caseloads": {"coordinator", "project_officer", "assistant"},
    "exits": {"referent", "outsider", "coordinator", "project_officer", "assistant"},
    "detail": {"referent", "coordinator", "project_officer", "assistant"},
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_reaches_only_its_pathway_pages(client, request, referent, role):
    urls = page_urls(referent)
    client.force_login(request.getfixturevalue(role))
    for page, url in urls.items():
        status = client.get(url).status_code
        if role in ALLOWED[page]:
            assert status == 200, f"{role} devrait accéder à {page}"
        else:
            assert status == 403, f"{role} ne devrait pas accéder à {page} ({status})"


def test_contact_summaries_are_hidden_from_the_assistant(client, referent, assistant):
    url = page_urls(referent)["detail"]
    client.force_login(referent)
    assert "Compte rendu confidentiel" in client.get(url).content.decode()
    client.force_login(assistant)
    assert "Compte rendu confidentiel" not in client.get(url).content.decode()


def test_the_outsider_posting_a_step_is_refused_and_nothing_is_saved(client, referent, outsider):
    urls = page_urls(referent)
    client.force_login(outsider)
    response = client.post(urls["step_add"], {"step_type": StepType.objects.first().pk})
    assert response.status_code == 403
    assert Step.objects.count() == 1


def test_a_referent_adds_a_step_and_a_contact_through_the_forms(client, referent):
    urls = page_urls(referent)
    client.force_login(referent)
    today = timezone.localdate()
    response = posted(
        client,
        urls["step_add"],
        {
            "step_type": StepType.objects.get(code="cdd").pk,
            "organisation_name": "Boulangerie Martin",
            "start_date": (today - datetime.timedelta(days=20)).isoformat(),
            "planned_end_date": (today + datetime.timedelta(days=70)).isoformat(),
            "weekly_hours": "24,5",
            "outcome": StepOutcome.IN_PROGRESS,
        },
    )
    assert response.status_code == 302
    step = Step.objects.get(organisation_name="Boulangerie Martin")
    assert step.weekly_hours == Decimal("24.5")
    response = posted(
        client,
        urls["contact_add"],
        {"contacted_on": today.isoformat(), "mode": ContactMode.INDIVIDUAL, "summary": "Point"},
    )
    assert response.status_code == 302
    assert Contact.objects.filter(summary="Point").exists()


def test_a_step_form_with_impossible_dates_says_why_and_saves_nothing(client, referent):
    urls = page_urls(referent)
    client.force_login(referent)
    today = timezone.localdate()
    response = posted(
        client,
        urls["step_add"],
        {
            "step_type": StepType.objects.get(code="training-qualifying").pk,
            "start_date": (today - datetime.timedelta(days=5)).isoformat(),
            "end_date": (today - datetime.timedelta(days=10)).isoformat(),
            "outcome": StepOutcome.COMPLETED,
        },
    )
    assert response.status_code == 200
    assert "précède le début" in response.content.decode()
    assert Step.objects.count() == 1


def test_transfer_and_exit_proposal_through_the_forms(client, referent, project_officer):
    urls = page_urls(referent)
    meeting = MeetingFactory()
    newcomer = UserFactory(username="nouveau.referent")
    client.force_login(project_officer)
    response = posted(
        client, urls["transfer"], {"new_referent": newcomer.pk, "reason": "Rééquilibrage"}
    )
    assert response.status_code == 302
    assert ReferentChange.objects.get().new_referent == newcomer
    response = posted(
        client,
        urls["propose_exit"],
        {
            "meeting": meeting.pk,
            "reason": ExitReason.MOVED,
            "exit_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert CommitteeItem.objects.get(kind="exit").exit_reason == ExitReason.MOVED
    page = client.get(reverse("committee:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Déménagement hors du territoire" in page


def test_a_refused_form_opens_on_its_first_wrong_field(client, referent):
    urls = page_urls(referent)
    client.force_login(referent)
    response = posted(
        client,
        urls["step_add"],
        {
            "step_type": StepType.objects.get(code="cdd").pk,
            "start_date": timezone.localdate().isoformat(),
            "outcome": StepOutcome.IN_PROGRESS,
        },
    )
    focused = re.findall(
        r"<(?:input|select|textarea)[^>]*autofocus[^>]*>", response.content.decode()
    )
    assert len(focused) == 1
    assert 'name="weekly_hours"' in focused[0]


def test_an_exit_for_health_reasons_is_named_only_to_who_may_read_sensitive_data(
    client, referent, assistant, coordinator
):
    from plie.participants.enums import ExitReason

    pathway = exited_in_june(referent, 1, ExitReason.HEALTH)
    pages = {
        "exits": reverse("pathways:exits") + "?annee=2026",
        "record": reverse("web:participant", args=[pathway.participant.pk]),
    }
    for user, named in ((coordinator, True), (referent, True), (assistant, False)):
        client.force_login(user)
        for url in pages.values():
            page = client.get(url).content.decode()
            assert ("Raisons de santé" in page) is named, (user, url)
            if not named:
                assert "Sortie non positive (motif non détaillé)" in page


def test_an_exit_without_its_reason_is_listed_as_such(client, referent, coordinator):
    """Exits taken over from an earlier tool may have no reason: the list says so."""

    exited_in_june(referent, 1, "")
    client.force_login(coordinator)
    response = client.get(reverse("pathways:exits") + "?annee=2026")
    assert response.status_code == 200
    assert response.context["by_reason"] == [("Motif non renseigné", 1)]


def test_a_years_exits_come_a_page_at_a_time_with_the_whole_years_tally(
    client, referent, coordinator, monkeypatch
):
    from plie.participants.enums import ExitReason
    from plie.pathways import worklist_views

    monkeypatch.setattr(worklist_views, "EXITS_PER_PAGE", 2)
    for day, reason in [(1, ExitReason.POSITIVE), (2, ExitReason.MOVED), (3, ExitReason.ABANDONED)]:
        exited_in_june(referent, day, reason)
    client.force_login(coordinator)
    first = client.get(reverse("pathways:exits"), {"annee": "2026"})
    assert [p.exit_date.day for p in first.context["page"].object_list] == [3, 2]
    assert first.context["total"] == 3 and first.context["rate"] == 0.5  # 1 of 2, moving aside
    assert "taux de sorties positives <strong>50\u00a0%</strong>" in first.content.decode()
    assert "?annee=2026&page=2" in first.content.decode()
    second = client.get(reverse("pathways:exits"), {"annee": "2026", "page": "2"})
    assert [p.exit_date.day for p in second.context["page"].object_list] == [1]
    assert second.context["total"] == 3


def test_without_sensitive_access_a_health_exit_is_counted_with_the_other_reasons(
    client, referent, assistant, coordinator
):
    from plie.participants.enums import ExitReason

    for day, reason in [(1, ExitReason.HEALTH), (2, ExitReason.ABANDONED), (3, ExitReason.MOVED)]:
        exited_in_june(referent, day, reason)
    client.force_login(assistant)
    tally = client.get(reverse("pathways:exits"), {"annee": "2026"}).context["by_reason"]
    assert tally == [
        ("Sortie non positive (motif non détaillé)", 2),
        ("Déménagement hors du territoire", 1),
    ]
    client.force_login(coordinator)
    tally = dict(client.get(reverse("pathways:exits"), {"annee": "2026"}).context["by_reason"])
    assert tally["Raisons de santé"] == 1 and tally["Abandon du parcours"] == 1


def test_a_step_starting_later_is_shown_to_come_not_going_on(client, referent):
    today = timezone.localdate()
    pathway = active_pathway(referent, entry_date=today - datetime.timedelta(days=60))
    StepFactory(pathway=pathway, start_date=today - datetime.timedelta(days=10))
    StepFactory(pathway=pathway, start_date=today + datetime.timedelta(days=1))
    client.force_login(referent)
    page = client.get(reverse("web:participant", args=[pathway.participant.pk]))
    section = page.content.decode().split('id="titre-etapes"')[1].split("</section>")[0]
    steps = re.findall(r"<tr>\s*<td>.*?</tr>", section.split("<tbody>")[1], re.DOTALL)
    assert len(steps) == 2
    coming = [row for row in steps if "à venir" in row]
    assert len(coming) == 1 and "en cours" not in coming[0].lower()  # dates nor outcome
    assert sum("en cours" in row for row in steps) == 1  # the one started ten days ago
