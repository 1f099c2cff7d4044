"""Satisfaction survey pages (issue 13, §1).

For the provider and the coordination: an action's results (and its survey's questions), a
cohort's survey — open it, close it, print the sheet of personal links (PDF, one slip per
participant with their first name, a QR code and the short link) or read the same links on a
phone — and the cohort's results. Names appear only on the links, never beside an answer.

For the participant: `/questionnaire/<token>/`, without an account, a menu or any link to
another page of the application (its own minimal template). Its refusals are not written to
the server's log: the address holds the person's secret token."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.accounts.rules import is_provider
from plie.actions import satisfaction, surveys
from plie.actions.access import get_action_for_user, get_cohort_for_user
from plie.actions.attendance import french_order, out_of_provider_lists, referrals_of_cohorts
from plie.actions.models import Cohort, SurveyInvitation
from plie.actions.survey_forms import AnswerForm, CloseSurveyForm, OpenSurveyForm
from plie.audit.journal import record_document
from plie.audit.reads import shown
from plie.core import formatting
from plie.core.forms import apply_errors
from plie.core.pdf import pdf_response, render_pdf
from plie.core.plurals import counted
from plie.core.suppression import SHOW_ALL, legend

OPEN = "actions.open_survey"
# What the marks of a results page say: the one small-count rule hides a group's answers
# under five; above, each answer is counted (they carry no name).
SURVEY_LEGEND = (
    legend("small")
    + " Sous 5 réponses, le détail des réponses n'est pas montré ; à partir de 5, chaque "
    "réponse est comptée, sans nom."
)
RESULTS = "actions.view_satisfaction"


def survey_link(request, invitation: SurveyInvitation) -> str:
    """The personal link as printed: the address the provider reaches the application by (a
    host of ALLOWED_HOSTS, so the one participants will type too) and the token."""
    return request.build_absolute_uri(reverse("actions:survey_answer", args=[invitation.token]))


def qr_svg(link: str) -> str:
    return segno.make(link, error="m").svg_inline(scale=4, title="Code QR du lien personnel")


@dataclass(frozen=True)
class Slip:
    first_name: str
    link: str
    qr: str
    answered: bool


def slips(request, cohort: Cohort, *, with_qr: bool) -> tuple[list[Slip], list]:
    """Each invited person the user may name (a provider: those still in its lists), in
    French alphabetical order, with their link."""
    invitations = {i.referral_id: i for i in SurveyInvitation.objects.filter(cohort=cohort)}
    provider = bool(is_provider.test(request.user))
    people = [
        r
        for r in french_order(referrals_of_cohorts([cohort.pk]))
        if r.pk in invitations and not (provider and out_of_provider_lists(r))
    ]
    found = []
    for referral in people:
        invitation = invitations[referral.pk]
        link = survey_link(request, invitation)
        found.append(
            Slip(
                first_name=referral.participant.first_name,
                link=link,
                qr=qr_svg(link) if with_qr else "",
                answered=invitation.answered_at is not None,
            )
        )
    return found, [r.participant for r in people]


def _state(cohort: Cohort) -> dict:
    invitations = SurveyInvitation.objects.filter(cohort=cohort)
    invited = invitations.count()
    closes_on = invitations.order_by("-closes_on").values_list("closes_on", flat=True).first()
    return {
        "invited": invited,
        "opened": invited > 0,
        "closes_on": closes_on,
        "running": closes_on is not None and closes_on >= timezone.localdate(),
        "not_invited": surveys.participants(cohort).filter(survey_invitation__isnull=True).count(),
    }


# Results -----------------------------------------------------------------------------------


@login_required
def survey_action(request, pk: int):
    """The action's results, cohort by cohort, and the questions of its survey."""
    action = get_action_for_user(request.user, pk, RESULTS)
    survey = surveys.survey_for(action)
    cohorts = list(action.cohorts.filter(survey_invitations__isnull=False).distinct())
    by_cohort = [
        (cohort, satisfaction.summary(action=action, cohorts=[cohort], small=SHOW_ALL))
        for cohort in cohorts
    ]
    return render(
        request,
        "actions/surveys/survey_action.html",
        {
            "action": action,
            "survey": survey,
            "questions": list(survey.questions.all()) if survey else [],
            "summary": satisfaction.summary(action=action, small=SHOW_ALL),
            "by_cohort": by_cohort,
            "legend": SURVEY_LEGEND,
        },
    )


def _cohort_page(request, cohort, form=None, status=200):
    action = cohort.action
    can_open = request.user.has_perm(OPEN, action)
    state = _state(cohort)
    if form is None and can_open:
        form = OpenSurveyForm(initial={"closes_on": surveys.default_closing(cohort)})
    return render(
        request,
        "actions/surveys/survey_cohort.html",
        {
            "cohort": cohort,
            "action": action,
            "state": state,
            "can_open": can_open,
            "form": form,
            "close_form": CloseSurveyForm(),
            "summary": satisfaction.summary(action=action, cohorts=[cohort], small=SHOW_ALL),
            "legend": SURVEY_LEGEND,
        },
        status=status,
    )


@login_required
def survey_cohort(request, pk: int):
    return _cohort_page(request, get_cohort_for_user(request.user, pk, RESULTS))


@login_required
@require_POST
def survey_open(request, pk: int):
    cohort = get_cohort_for_user(request.user, pk, OPEN)
    form = OpenSurveyForm(request.POST)
    if form.is_valid():
        try:
            created = surveys.open_survey(
                cohort=cohort, closes_on=form.cleaned_data["closes_on"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            closes_on = formatting.day(form.cleaned_data["closes_on"])
            messages.success(
                request,
                (
                    f"Questionnaire ouvert : {counted(len(created), 'un lien personnel créé')}. "
                    "Imprimez la feuille des liens pour la dernière séance."
                )
                if created
                else f"Les liens sans réponse restent ouverts jusqu'au {closes_on} inclus.",
            )
            return redirect(reverse("actions:survey_cohort", args=[cohort.pk]))
    return _cohort_page(request, cohort, form=form, status=400)


@login_required
@require_POST
def survey_close(request, pk: int):
    cohort = get_cohort_for_user(request.user, pk, OPEN)
    closed = surveys.close_survey(cohort=cohort, by=request.user)
    messages.success(
        request,
        f"Questionnaire fermé : {counted(closed, 'un lien fermé')}. Les réponses déjà "
        "envoyées restent comptées.",
    )
    return redirect(reverse("actions:survey_cohort", args=[cohort.pk]))


# The links ---------------------------------------------------------------------------------


@login_required
def survey_links(request, pk: int):
    """The links on a phone: each first name, its link and QR code, whether they answered."""
    cohort = get_cohort_for_user(request.user, pk, OPEN)
    found, people = slips(request, cohort, with_qr=True)
    shown(request, people, what=f"Liens du questionnaire — {cohort.action}, groupe {cohort.number}")
    return render(
        request,
        "actions/surveys/survey_links.html",
        {"cohort": cohort, "action": cohort.action, "slips": found, "state": _state(cohort)},
    )


@login_required
def survey_sheet(request, pk: int):
    """The sheet to hand out at the last session: one slip per person to cut out."""
    cohort = get_cohort_for_user(request.user, pk, OPEN)
    found, people = slips(request, cohort, with_qr=True)
    record_document(
        user=request.user,
        about=cohort,
        document=f"Liens du questionnaire de satisfaction — {cohort.action}, groupe {cohort.number}",
        participant_ids=[p.pk for p in people],
    )
    content = render_pdf(
        "actions/surveys/survey_sheet_pdf.html",
        {"cohort": cohort, "action": cohort.action, "slips": found, "state": _state(cohort)},
        programme=cohort.action.programme,
    )
    return pdf_response(
        content, f"questionnaire-action-{cohort.action_id}-groupe-{cohort.number}.pdf"
    )


# The participant's page ---------------------------------------------------------------------


SENT = "survey-sent"  # the mark of the message that says the answers were just recorded


def _unlogged(response):
    """The address holds the person's token: no line of the server's log repeats it."""
    response._has_been_logged = True
    return response


def _public(request, template: str, context: dict, status: int = 200):
    return _unlogged(render(request, f"actions/surveys/{template}", context, status=status))


def survey_answer(request, token: str):
    invitation = (
        SurveyInvitation.objects.select_related("survey", "cohort__action__programme")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return _public(request, "public_unknown.html", {}, status=404)
    survey = invitation.survey
    context = {"survey": survey, "programme": invitation.cohort.action.programme}
    if invitation.answered_at is not None:
        # Just sent (the redirect after the answers), or a later visit.
        sent = any(m.extra_tags == SENT for m in messages.get_messages(request))
        return _public(request, "public_done.html", {**context, "already": not sent})
    if not surveys.is_open(invitation):
        return _public(request, "public_closed.html", {**context, "invitation": invitation})
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST":
        if form.is_valid():
            try:
                surveys.record_answers(invitation=invitation, values=form.values())
            except surveys.AlreadyAnswered:
                return _public(request, "public_done.html", {**context, "already": True})
            except surveys.SurveyClosed:
                return _public(request, "public_closed.html", {**context, "invitation": invitation})
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Réponses enregistrées.", extra_tags=SENT)
                return _unlogged(redirect(request.path))
        return _public(request, "public_survey.html", {**context, "form": form}, status=400)
    return _public(request, "public_survey.html", {**context, "form": form})
