"""A referral's diagnostics, follow-up sheets and thread (issue 12, §4 and §5): pages for the
provider who welcomes the person, the référent who follows them and the coordination team.

A referral someone may not open is a 404, whoever asks (another provider, a référent who does
not follow the person): its existence is not told. Every page names the person, so every
response is journaled as a read of the participant (audit/reads.py), the provider's too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from plie.accounts.enums import Role
from plie.actions import diagnostics, follow_up
from plie.actions.diagnostic_forms import (
    CleaForm,
    FrenchForm,
    MessageForm,
    MobilityForm,
    SelfAssessmentForm,
    SheetForm,
)
from plie.actions.enums import CleaLevel, Diagnostic, Fundamental, Moment
from plie.actions.models import (
    ActionReferral,
    CleaPositioning,
    FrenchAssessment,
    MobilityAssessment,
    SelfAssessment,
)
from plie.audit.journal import record_refusal
from plie.audit.reads import shown
from plie.core.forms import apply_errors
from plie.core.permissions import action

OPEN = "actions.open_referral"
RECORD = "actions.record_assessment"
WRITE_SHEET = "actions.write_follow_up"
WRITE_MESSAGE = "actions.write_message"
# The moments in addresses, in French.
MOMENTS = {"debut": Moment.START, "fin": Moment.END}
SLUGS = {value: slug for slug, value in MOMENTS.items()}


def get_referral_for_user(request, pk: int, perm: str = OPEN) -> ActionReferral:
    """The referral `request.user` may open (404 otherwise, the refusal journaled), refused
    (403) without `perm` on it; the person it names is journaled as read."""
    referral = get_object_or_404(
        ActionReferral.objects.select_related(
            "action__agreement__provider", "participant__referent", "cohort", "created_by"
        ),
        pk=pk,
    )
    user = request.user
    if not user.has_perm(OPEN, referral):
        record_refusal(user=user, participant=referral.participant)
        raise Http404("Orientation introuvable.")
    shown(request, referral.participant)
    if perm != OPEN and not user.has_perm(perm, referral):
        raise PermissionDenied(f"Votre rôle ne permet pas cette action : « {action(perm).label} ».")
    return referral


def reads_texts(user, referral: ActionReferral) -> bool:
    """The free texts of a sheet or a message (the register reads them as sensitive): for the
    provider who writes them, the référent and the case leads — not the assistant."""
    return user.role == Role.PROVIDER or user.has_perm(
        "participants.view_sensitive_data", referral.participant
    )


def _moment(slug: str) -> str:
    if slug not in MOMENTS:
        raise Http404("Moment inconnu : début ou fin de l'action.")
    return MOMENTS[slug]


def _offered(referral: ActionReferral, diagnostic: str) -> None:
    if not referral.action.offers(diagnostic):
        raise Http404("Cette action ne réalise pas ce diagnostic.")


def _links(referral: ActionReferral) -> list[dict]:
    """The forms of the diagnostics the action delivers, each with what is recorded."""
    links = []
    for diagnostic in Diagnostic:
        if not referral.action.offers(diagnostic):
            continue
        if diagnostic == Diagnostic.MOBILITY:
            links.append(
                {
                    "label": diagnostic.label,
                    "url": reverse("actions:assessment_mobility", args=[referral.pk]),
                }
            )
            continue
        name = {
            Diagnostic.FRENCH: "actions:assessment_french",
            Diagnostic.CLEA: "actions:assessment_clea",
            Diagnostic.SELF_ASSESSMENT: "actions:assessment_self",
        }[diagnostic]
        for slug, moment in MOMENTS.items():
            links.append(
                {
                    "label": f"{diagnostic.label} — {Moment(moment).label.lower()}",
                    "url": reverse(name, args=[referral.pk, slug]),
                }
            )
    return links


@login_required
def referral_assessments(request, pk: int):
    referral = get_referral_for_user(request, pk)
    can_record = request.user.has_perm(RECORD, referral)
    return render(
        request,
        "actions/referral_assessments.html",
        {
            "referral": referral,
            "summary": diagnostics.summary(referral),
            "links": _links(referral) if can_record else [],
            "can_record": can_record,
        },
    )


def _assessment_page(request, referral, form, *, title: str, template: str, extra=None):
    return render(
        request,
        template,
        {"referral": referral, "form": form, "title": title, **(extra or {})},
    )


def _saved(request, referral, label: str):
    """« Évaluation du français enregistrée. », « Diagnostic de mobilité enregistré. »"""
    messages.success(request, f"{label}.")
    return redirect("actions:referral_assessments", pk=referral.pk)


def _base_initial(record) -> dict:
    return {"assessed_on": record.assessed_on, "comment": record.comment} if record else {}


@login_required
def assessment_french(request, pk: int, moment: str):
    referral = get_referral_for_user(request, pk, RECORD)
    moment = _moment(moment)
    _offered(referral, Diagnostic.FRENCH)
    record = FrenchAssessment.objects.filter(referral=referral, moment=moment).first()
    initial = _base_initial(record)
    if record:
        initial |= {skill: getattr(record, skill) for skill in diagnostics.FRENCH_SKILLS}
    form = FrenchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            diagnostics.record_french(
                referral=referral,
                moment=moment,
                assessed_on=data["assessed_on"],
                levels={skill: data[skill] for skill in diagnostics.FRENCH_SKILLS},
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, referral, "Évaluation du français enregistrée")
    return _assessment_page(
        request,
        referral,
        form,
        title=f"Évaluation du français — {Moment(moment).label.lower()}",
        template="actions/assessment_form.html",
        extra={
            "help": "Le niveau de chaque compétence sur le Cadre européen commun de référence "
            "pour les langues (A1 à C2) ; « Non évalué » si elle n'a pas été évaluée."
        },
    )


@login_required
def assessment_mobility(request, pk: int):
    referral = get_referral_for_user(request, pk, RECORD)
    _offered(referral, Diagnostic.MOBILITY)
    record = MobilityAssessment.objects.filter(referral=referral).first()
    initial = _base_initial(record)
    if record:
        initial |= {name: getattr(record, name) for name in diagnostics.MOBILITY_FIELDS}
    form = MobilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            diagnostics.record_mobility(
                referral=referral,
                assessed_on=data["assessed_on"],
                values={name: data[name] for name in diagnostics.MOBILITY_FIELDS},
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, referral, "Diagnostic de mobilité enregistré")
    return _assessment_page(
        request,
        referral,
        form,
        title="Diagnostic de mobilité",
        template="actions/assessment_form.html",
    )


@login_required
def assessment_clea(request, pk: int, moment: str):
    referral = get_referral_for_user(request, pk, RECORD)
    moment = _moment(moment)
    _offered(referral, Diagnostic.CLEA)
    record = (
        CleaPositioning.objects.filter(referral=referral, moment=moment)
        .prefetch_related("results")
        .first()
    )
    initial = _base_initial(record)
    if record:
        initial["oriented_to_daq"] = record.oriented_to_daq
        initial |= {f"sd_{r.subdomain_id}": r.level for r in record.results.all()}
    form = CleaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            diagnostics.record_clea(
                referral=referral,
                moment=moment,
                assessed_on=data["assessed_on"],
                levels=form.levels(),
                oriented_to_daq=data["oriented_to_daq"],
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, referral, "Positionnement CléA enregistré")
    return _assessment_page(
        request,
        referral,
        form,
        title=f"Positionnement CléA — {Moment(moment).label.lower()}",
        template="actions/assessment_clea.html",
        extra={
            "reading": diagnostics.clea_reading(record) if record else None,
            "levels": CleaLevel,
        },
    )


@login_required
def assessment_self(request, pk: int, moment: str):
    referral = get_referral_for_user(request, pk, RECORD)
    moment = _moment(moment)
    _offered(referral, Diagnostic.SELF_ASSESSMENT)
    record = (
        SelfAssessment.objects.filter(referral=referral, moment=moment)
        .prefetch_related("answers")
        .first()
    )
    initial = _base_initial(record) | (diagnostics.scores_of(record) or {})
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            diagnostics.record_self_assessment(
                referral=referral,
                moment=moment,
                assessed_on=data["assessed_on"],
                scores=form.scores(),
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _saved(request, referral, "Autoévaluation enregistrée")
    return _assessment_page(
        request,
        referral,
        form,
        title=f"Autoévaluation — {Moment(moment).label.lower()}",
        template="actions/assessment_form.html",
        extra={
            "help": "La personne se situe elle-même sur chacun des "
            f"{len(Fundamental.values)} fondamentaux, de 1 (pas du tout) à 4 (tout à fait)."
        },
    )


# Follow-up sheets and thread --------------------------------------------------------------


def _follow_up_page(request, referral, message_form=None, status: int = 200):
    user = request.user
    can_write = user.has_perm(WRITE_SHEET, referral)
    sheets = referral.follow_up_sheets.select_related("written_by").prefetch_related(
        "recommendations"
    )
    if not can_write:
        sheets = sheets.filter(sent_at__isnull=False)  # a draft is the provider's own
    can_message = user.has_perm(WRITE_MESSAGE, referral)
    return render(
        request,
        "actions/referral_follow_up.html",
        {
            "referral": referral,
            "sheets": list(sheets),
            "thread": list(referral.messages.select_related("author")),
            "can_write": can_write,
            "reads_texts": reads_texts(user, referral),
            "message_form": (message_form or MessageForm()) if can_message else None,
        },
        status=status,
    )


@login_required
def referral_follow_up(request, pk: int):
    return _follow_up_page(request, get_referral_for_user(request, pk))


def _sheet_form_page(request, referral, form, sheet=None):
    return render(
        request,
        "actions/sheet_form.html",
        {"referral": referral, "form": form, "sheet": sheet},
    )


def _save_sheet(request, referral, form, sheet=None):
    data = form.cleaned_data
    try:
        sheet = follow_up.save_sheet(
            referral=referral,
            sheet=sheet,
            kind=data["kind"],
            observations=data["observations"],
            recommendations=form.recommendations(),
            by=request.user,
        )
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, "Brouillon enregistré : il n'est pas encore envoyé au référent.")
    return redirect("actions:referral_follow_up", pk=referral.pk)


@login_required
def sheet_create(request, pk: int):
    referral = get_referral_for_user(request, pk, WRITE_SHEET)
    form = SheetForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_sheet(request, referral, form))
    ):
        return done
    return _sheet_form_page(request, referral, form)


def _draft(referral, sheet_pk: int):
    sheet = get_object_or_404(referral.follow_up_sheets, pk=sheet_pk)
    if sheet.sent_at is not None:
        raise PermissionDenied(follow_up.SENT_ALREADY)
    return sheet


@login_required
def sheet_edit(request, pk: int, sheet_pk: int):
    referral = get_referral_for_user(request, pk, WRITE_SHEET)
    sheet = _draft(referral, sheet_pk)
    form = SheetForm(request.POST or None, initial=SheetForm.initial_of(sheet))
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_sheet(request, referral, form, sheet))
    ):
        return done
    return _sheet_form_page(request, referral, form, sheet)


@login_required
@require_POST
def sheet_send(request, pk: int, sheet_pk: int):
    referral = get_referral_for_user(request, pk, WRITE_SHEET)
    sheet = get_object_or_404(referral.follow_up_sheets, pk=sheet_pk)
    try:
        follow_up.send_sheet(sheet=sheet, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Fiche envoyée au référent, qui en est averti.")
    return redirect("actions:referral_follow_up", pk=referral.pk)


@login_required
@require_POST
def message_post(request, pk: int):
    referral = get_referral_for_user(request, pk, WRITE_MESSAGE)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            follow_up.post_message(
                referral=referral, body=form.cleaned_data["body"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Message envoyé.")
            return redirect(reverse("actions:referral_follow_up", args=[referral.pk]) + "#echanges")
    return _follow_up_page(request, referral, message_form=form)
