"""The satisfaction survey (issue 13, §1): opened for the people who took part in a cohort,
one personal link each; answered once per link, without an account, until the closing day
included; the participant's page leads nowhere else; the results keep to the small-count rule
and never show a name; a provider reaches only its own actions."""

import datetime
import json
import re
import threading
from html.parser import HTMLParser

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.actions import satisfaction, surveys
from plie.actions.enums import ReferralStatus
from plie.actions.models import SurveyAnswer, SurveyInvitation
from plie.core.suppression import HIDE_SMALL, SHOW_ALL, SMALL
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    answer_survey,
    refer,
    survey_cohort,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory):
    class World:
        pass

    w = World()
    w.team = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    organisation = ProviderFactory()
    w.provider = UserFactory(
        username="prestataire.a", role=Role.PROVIDER, organisation=organisation
    )
    w.other_provider = UserFactory(
        username="prestataire.b", role=Role.PROVIDER, organisation=ProviderFactory()
    )
    w.cohort = survey_cohort(organisation, people=6, by=w.team)
    w.action = w.cohort.action
    return w


def opened(world, days=14):
    return surveys.open_survey(
        cohort=world.cohort,
        closes_on=timezone.localdate() + datetime.timedelta(days=days),
        by=world.provider,
    )


def link(invitation):
    return reverse("actions:survey_answer", args=[invitation.token])


# Opening the survey --------------------------------------------------------------------------


def test_opening_gives_one_secret_link_to_each_person_who_took_part(world):
    declined = refer(
        active_pathway(
            UserFactory(role=Role.REFERENT), entry_date=timezone.localdate()
        ).participant,
        world.cohort,
        status=ReferralStatus.DECLINED,
        decline_reason="Complet",
    )
    dropped = refer(
        active_pathway(
            UserFactory(role=Role.REFERENT), entry_date=timezone.localdate()
        ).participant,
        world.cohort,
        status=ReferralStatus.DROPPED_OUT,
        drop_out_reason="job",
    )
    created = opened(world)
    assert len(created) == 7  # the six who completed and the one who dropped out
    referrals = {i.referral_id for i in created}
    assert dropped.pk in referrals and declined.pk not in referrals
    tokens = {i.token for i in created}
    assert len(tokens) == 7 and all(re.fullmatch(r"[A-Za-z0-9_-]{16}", t) for t in tokens)
    assert {i.created_by for i in created} == {world.provider}
    # Opened again: nobody twice; the links not answered take the new closing day.
    later = timezone.localdate() + datetime.timedelta(days=30)
    assert surveys.open_survey(cohort=world.cohort, closes_on=later, by=world.team) == []
    assert set(SurveyInvitation.objects.values_list("closes_on", flat=True)) == {later}


def test_the_closing_day_is_by_default_14_days_after_the_cohort_and_never_in_the_past(world):
    assert surveys.default_closing(world.cohort) == timezone.localdate() + datetime.timedelta(
        days=14
    )  # the cohort ended before today
    world.cohort.ends_on = timezone.localdate() + datetime.timedelta(days=3)
    assert surveys.default_closing(world.cohort) == world.cohort.ends_on + datetime.timedelta(
        days=14
    )
    with pytest.raises(ValidationError) as refused:
        surveys.open_survey(
            cohort=world.cohort,
            closes_on=timezone.localdate() - datetime.timedelta(days=1),
            by=world.provider,
        )
    assert "passée" in str(refused.value)
    # Before the group's last day: the sheet is handed out at the last session.
    with pytest.raises(ValidationError) as refused:
        surveys.open_survey(
            cohort=world.cohort,
            closes_on=world.cohort.ends_on - datetime.timedelta(days=1),
            by=world.provider,
        )
    assert "Le groupe finit le" in str(refused.value)
    assert not SurveyInvitation.objects.exists()
    # Its last day itself is accepted.
    assert (
        len(surveys.open_survey(cohort=world.cohort, closes_on=world.cohort.ends_on, by=world.team))
        == 6
    )


def test_a_finished_group_s_links_may_close_today(world):
    """The group ended before today: today itself is accepted."""
    assert world.cohort.ends_on < timezone.localdate()
    assert (
        len(surveys.open_survey(cohort=world.cohort, closes_on=timezone.localdate(), by=world.team))
        == 6
    )


def test_the_open_form_refuses_a_past_date_in_french(client, world):
    client.force_login(world.provider)
    response = client.post(
        reverse("actions:survey_open", args=[world.cohort.pk]),
        {"closes_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 400
    assert "Cette date est passée" in response.content.decode()
    assert not SurveyInvitation.objects.exists()
    response = client.post(
        reverse("actions:survey_open", args=[world.cohort.pk]),
        {"closes_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat()},
    )
    assert response.status_code == 302
    assert SurveyInvitation.objects.filter(cohort=world.cohort).count() == 6


def test_a_cohort_nobody_took_part_in_has_no_survey(world):
    cohort = survey_cohort(world.action.agreement.provider, people=0, first_names=[])
    with pytest.raises(ValidationError, match="Personne n'a encore participé"):
        surveys.open_survey(cohort=cohort, closes_on=timezone.localdate(), by=world.provider)


# Answering -----------------------------------------------------------------------------------


def test_no_account_is_needed_and_one_answer_per_link(client, world):
    invitation = opened(world)[0]
    response = client.get(link(invitation))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Votre avis sur l&#x27;action" in text and 'type="radio"' in text
    data = {}
    for question in invitation.survey.questions.all():
        if question.kind == "scale":
            data[f"q{question.pk}"] = "3"
        elif question.kind == "choice":
            data[f"q{question.pk}"] = question.labels()[0]
        else:
            data[f"q{question.pk}"] = "Très bien, merci."
    response = client.post(link(invitation), data)
    assert response.status_code == 302 and response["Location"] == link(invitation)
    assert "Merci&#8239;!" in client.get(link(invitation)).content.decode()
    written = SurveyAnswer.objects.filter(invitation=invitation).count()
    assert written == invitation.survey.questions.count()
    # A second visit, a second sending: nothing more is written.
    again = client.get(link(invitation))
    assert "Merci, vous avez déjà répondu" in again.content.decode()
    response = client.post(link(invitation), data)
    assert "Merci, vous avez déjà répondu" in response.content.decode()
    assert SurveyAnswer.objects.filter(invitation=invitation).count() == written


def test_a_missing_required_answer_says_what_to_do_and_writes_nothing(client, world):
    invitation = opened(world)[0]
    response = client.post(link(invitation), {})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Une réponse est à revoir" in text and "Choisissez une réponse." in text
    assert not SurveyAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_a_second_sending_with_a_stale_invitation_writes_once(world):
    invitation = opened(world)[0]
    stale = SurveyInvitation.objects.get(pk=invitation.pk)
    written = answer_survey(invitation, text="Bien.")
    assert written == 8
    with pytest.raises(surveys.AlreadyAnswered):
        answer_survey(stale)  # read before the first answer: the lock reads it again
    assert SurveyAnswer.objects.filter(invitation=invitation).count() == 8


def test_the_unique_answer_per_question_stops_a_sending_that_slipped_through(world):
    invitation = opened(world)[0]
    question = invitation.survey.questions.get(code="accueil")
    SurveyAnswer.objects.create(invitation=invitation, question=question, scale=2)
    with pytest.raises(surveys.AlreadyAnswered):
        answer_survey(invitation)
    assert SurveyAnswer.objects.filter(invitation=invitation).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_instant_write_once(territory):
    if connection.vendor != "postgresql":
        pytest.skip("rows are locked by PostgreSQL (SQLite locks the whole base)")
    team = UserFactory(role=Role.COORDINATOR)
    cohort = survey_cohort(people=1, by=team)
    invitation = surveys.open_survey(cohort=cohort, closes_on=timezone.localdate(), by=team)[0]
    outcomes = []

    def send():
        try:
            outcomes.append(
                answer_survey(SurveyInvitation.objects.get(pk=invitation.pk), text="Bien.")
            )
        except surveys.AlreadyAnswered:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == [8, "already"]
    assert SurveyAnswer.objects.filter(invitation=invitation).count() == 8


def test_the_link_works_on_its_closing_day_and_not_the_day_after(client, world):
    closes_on = timezone.localdate() + datetime.timedelta(days=3)
    invitation = surveys.open_survey(cohort=world.cohort, closes_on=closes_on, by=world.team)[0]
    late = surveys.open_survey  # noqa: F841  (the same invitations, read on each day)
    other = SurveyInvitation.objects.exclude(pk=invitation.pk).first()
    on_the_day = datetime.datetime.combine(closes_on, datetime.time(23, 30))
    with time_machine.travel(
        on_the_day.replace(tzinfo=timezone.get_current_timezone()), tick=False
    ):
        assert client.get(link(invitation)).status_code == 200
        assert "Envoyer mes réponses" in client.get(link(invitation)).content.decode()
        answer_survey(invitation)
    day_after = datetime.datetime.combine(
        closes_on + datetime.timedelta(days=1), datetime.time(0, 30)
    )
    with time_machine.travel(day_after.replace(tzinfo=timezone.get_current_timezone()), tick=False):
        text = client.get(link(other)).content.decode()
        assert "Ce questionnaire est fermé" in text and "Envoyer mes réponses" not in text
        with pytest.raises(surveys.SurveyClosed):
            answer_survey(other)
        # One who answered in time is still thanked.
        assert "déjà répondu" in client.get(link(invitation)).content.decode()
    assert not SurveyAnswer.objects.filter(invitation=other).exists()


def test_closing_the_survey_early_ends_the_links_not_answered(client, world):
    first, second = opened(world)[:2]
    answer_survey(first)
    client.force_login(world.provider)
    response = client.post(reverse("actions:survey_close", args=[world.cohort.pk]))
    assert response.status_code == 302
    assert "Ce questionnaire est fermé" in client.get(link(second)).content.decode()
    first.refresh_from_db()
    assert first.closes_on > timezone.localdate()  # an answered link keeps its day


def test_an_unknown_link_is_a_plain_404(client, world):
    opened(world)
    response = client.get(reverse("actions:survey_answer", args=["pas-un-vrai-jeton"]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Ce lien ne marche pas" in text
    assert "<a " not in text


class Addresses(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.found.append((tag, value))


@pytest.mark.parametrize("state", ["open", "answered", "closed", "refused"])
def test_the_participants_page_leads_to_no_other_page(client, world, state):
    invitation = opened(world)[0]
    if state == "answered":
        answer_survey(invitation)
    elif state == "closed":
        SurveyInvitation.objects.filter(pk=invitation.pk).update(
            closes_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    response = (
        client.post(link(invitation), {}) if state == "refused" else client.get(link(invitation))
    )
    html = response.content.decode()
    parser = Addresses()
    parser.feed(html)
    assert "<a " not in html and "<nav" not in html
    for tag, address in parser.found:
        assert address.startswith(settings.STATIC_URL), (tag, address)
    assert 'action="' not in html or f'action="{link(invitation)}"' in html


def test_the_token_is_neither_logged_nor_journaled(client, world, caplog):
    invitation = opened(world)[0]
    with caplog.at_level("DEBUG"):
        client.post(link(invitation), {})  # 400
        client.get(reverse("actions:survey_answer", args=["inconnu-inconnu"]))  # 404
    assert invitation.token not in caplog.text and "inconnu-inconnu" not in caplog.text
    entries = LogEntry.objects.get_for_object(invitation)
    assert entries.exists()
    assert all(invitation.token not in json.dumps(e.changes) for e in entries)


# Results -------------------------------------------------------------------------------------


def test_fewer_than_5_answers_show_no_distribution_to_anyone(client, world):
    invitations = opened(world)
    for invitation in invitations[:4]:
        answer_survey(invitation, scale=4, text="Merci à l'équipe.")
    for small in (SHOW_ALL, HIDE_SMALL):
        found = satisfaction.summary(action=world.action, small=small)
        assert found.invited == 6 and found.answered == SMALL and found.too_few
        assert found.answer_rate is None
        assert all(q.distribution is None and q.satisfied is None for q in found.questions)
    client.force_login(world.provider)
    text = client.get(reverse("actions:survey_cohort", args=[world.cohort.pk])).content.decode()
    assert "Moins de 5 réponses" in text and "&lt; 5" in text
    assert "Satisfaits" not in text
    # The provider still reads the free texts; the steering committee never does.
    assert "Merci à l&#x27;équipe." in text
    assert satisfaction.summary(action=world.action).questions[-1].texts == ()


def test_from_5_answers_the_distribution_and_the_share_satisfied_are_shown(world):
    invitations = opened(world)
    for invitation, scale in zip(invitations[:5], (4, 4, 3, 2, 1), strict=True):
        answer_survey(invitation, scale=scale)
    found = satisfaction.summary(action=world.action, cohorts=[world.cohort], small=SHOW_ALL)
    assert found.answered == 5 and found.answer_rate == round(5 / 6, 4)
    welcome = next(q for q in found.questions if q.code == "accueil")
    assert welcome.distribution == (
        ("Non, pas du tout", 1),
        ("Plutôt non", 1),
        ("Plutôt oui", 1),
        ("Oui, tout à fait", 2),
    )
    assert welcome.satisfied == 0.6
    recommend = next(q for q in found.questions if q.code == "conseiller")
    assert dict(recommend.distribution) == {"Oui": 5, "Peut-être": 0, "Non": 0}
    # The steering committee's rule: counts of 1 to 4 hidden, and no share they would give.
    steering = satisfaction.summary(action=world.action)
    welcome = next(q for q in steering.questions if q.code == "accueil")
    assert all(str(count) in ("< 5", "masqué") for _, count in welcome.distribution)
    assert welcome.satisfied is None
    assert steering.answer_rate is None  # 5 of 6: the difference is 1
    figures = steering.as_figures()
    assert json.loads(json.dumps(figures)) == figures
    assert figures["answered"] == 5 and figures["questions"][0]["code"] == "accueil"


def test_free_texts_are_shown_without_the_name(client, world):
    invitations = opened(world)
    for number, invitation in enumerate(invitations):
        answer_survey(invitation, text=f"Avis numéro {number}." if number < 2 else "")
    client.force_login(world.team)
    for url in (
        reverse("actions:survey_action", args=[world.action.pk]),
        reverse("actions:survey_cohort", args=[world.cohort.pk]),
    ):
        text = client.get(url).content.decode()
        assert "Avis numéro 0." in text and "Avis numéro 1." in text
        assert "Sondé" not in text and "Prénom" not in text


def test_a_provider_reaches_only_its_own_actions(client, world):
    opened(world)
    urls = [
        reverse("actions:survey_action", args=[world.action.pk]),
        reverse("actions:survey_cohort", args=[world.cohort.pk]),
        reverse("actions:survey_links", args=[world.cohort.pk]),
        reverse("actions:survey_sheet", args=[world.cohort.pk]),
    ]
    client.force_login(world.other_provider)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(reverse("actions:survey_close", args=[world.cohort.pk])).status_code == 404
    client.force_login(world.provider)
    for url in urls:
        assert client.get(url).status_code == 200
    referent = UserFactory(role=Role.REFERENT)
    client.force_login(referent)
    assert client.get(urls[0]).status_code == 403


def test_the_action_and_cohort_pages_show_the_survey_block(client, world):
    opened(world)
    client.force_login(world.provider)
    text = client.get(reverse("actions:cohort_detail", args=[world.cohort.pk])).content.decode()
    assert "Questionnaire de satisfaction" in text
    assert reverse("actions:survey_sheet", args=[world.cohort.pk]) in text
    text = client.get(reverse("actions:action_detail", args=[world.action.pk])).content.decode()
    assert reverse("actions:survey_action", args=[world.action.pk]) in text
    client.force_login(UserFactory(role=Role.REFERENT))
    text = client.get(reverse("actions:action_detail", args=[world.action.pk])).content.decode()
    assert "Questionnaire de satisfaction" not in text


# The sheet of links --------------------------------------------------------------------------


def test_the_sheet_has_one_slip_per_person_with_first_name_qr_and_link(client, world):
    invitations = opened(world)
    client.force_login(world.provider)
    response = client.get(reverse("actions:survey_sheet", args=[world.cohort.pk]))
    assert response["Content-Type"] == "application/pdf"
    import io

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for number in range(1, 7):
        assert f"Prénom{number}" in text
    assert "Sondé" not in text  # the first name only
    compact = text.replace("\n", "").replace(" ", "")
    for invitation in invitations:
        assert invitation.token in compact
    entry = LogEntry.objects.filter(actor=world.provider).latest("pk")
    assert sorted(entry.additional_data["participant_ids"]) == sorted(
        i.referral.participant_id for i in invitations
    )
    links = client.get(reverse("actions:survey_links", args=[world.cohort.pk])).content.decode()
    assert "<svg" in links and invitations[0].token in links
