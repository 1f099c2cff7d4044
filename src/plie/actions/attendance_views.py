"""Attendance pages (issue 12, §3): a session's presences (a phone-sized form), its attendance
sheet to print beforehand, its signed scan; an action's statement of days delivered (page,
PDF, XLSX) and its hand-in as the agreement's deliverable. Every page that names people is
journaled as a read of them (audit.reads), every file as a document taken (audit.journal)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.accounts.rules import is_provider
from plie.actions import attendance, statement
from plie.actions.attendance_forms import AttendanceForm, SignedSheetForm, StatementForm
from plie.actions.enums import SessionStatus
from plie.actions.models import Action, Session
from plie.actions.rules import runs_the_action
from plie.audit.journal import record_document
from plie.audit.reads import shown
from plie.core.forms import apply_errors
from plie.core.pdf import pdf_response, render_pdf
from plie.core.plurals import counted
from plie.core.uploads import serve

RECORD = "actions.record_attendance"
STATEMENT = "actions.days_statement"


def _refuse_unless(user, permission: str, target) -> None:
    """A provider never learns that another provider's record exists (404); anyone else
    without the permission is refused (403)."""
    if is_provider.test(user) and not runs_the_action.test(user, target):
        raise Http404("Cette page n'existe pas ou ne vous est pas ouverte.")
    if not user.has_perm(permission, target):
        raise PermissionDenied("Vous ne pouvez pas faire cela sur cette action.")


def get_session_for_user(user, pk: int, permission: str = RECORD) -> Session:
    session = get_object_or_404(
        Session.objects.select_related(
            "cohort__action__agreement__provider", "cohort__action__programme", "signed_sheet"
        ),
        pk=pk,
    )
    _refuse_unless(user, permission, session.cohort.action)
    return session


def get_action_for_user(user, pk: int, permission: str = STATEMENT) -> Action:
    action = get_object_or_404(
        Action.objects.select_related("agreement__provider", "programme"), pk=pk
    )
    _refuse_unless(user, permission, action)
    return action


def _for_provider(request) -> bool:
    return bool(is_provider.test(request.user))


def _what(session: Session) -> str:
    return f"Présences — {session.cohort.action}, {session}"


# A session's presences ---------------------------------------------------------------------


def _attendance_page(request, session, form=None, sheet_form=None, status=200):
    rows = attendance.rows(session, for_provider=_for_provider(request))
    shown(request, [row.referral.participant for row in rows], what=_what(session))
    form = form or AttendanceForm(rows=rows)
    recordable = session.status != SessionStatus.CANCELLED
    context = {
        "session": session,
        "action": session.cohort.action,
        "form": form,
        "sheet_form": sheet_form or SignedSheetForm(),
        "recordable": recordable and session.date <= timezone.localdate(),
        "cancelled": not recordable,
    }
    return render(request, "actions/session_attendance.html", context, status=status)


@login_required
def session_attendance(request, pk: int):
    session = get_session_for_user(request.user, pk)
    if request.method != "POST":
        return _attendance_page(request, session)
    rows = attendance.rows(session, for_provider=_for_provider(request))
    form = AttendanceForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            saved = attendance.record_attendance(
                session=session, presences=form.presences(), by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Présences enregistrées ({counted(saved, 'une personne')}).")
            return redirect(reverse("actions:session_attendance", args=[session.pk]))
    return _attendance_page(request, session, form=form, status=400)


@login_required
@require_POST
def signed_sheet_upload(request, pk: int):
    session = get_session_for_user(request.user, pk)
    form = SignedSheetForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attendance.attach_signed_sheet(
                session=session, uploaded=form.cleaned_data["document"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Feuille d'émargement signée enregistrée.")
            return redirect(reverse("actions:session_attendance", args=[session.pk]) + "#feuille")
    return _attendance_page(request, session, sheet_form=form, status=400)


@login_required
def signed_sheet(request, pk: int):
    session = get_session_for_user(request.user, pk)
    if session.signed_sheet is None:
        raise Http404("La feuille signée de cette séance n'a pas encore été déposée.")
    people = attendance.expected(session, for_provider=False)
    record_document(
        user=request.user,
        about=session,
        document=f"Feuille d'émargement signée — {_what(session)}",
        participant_ids=[r.participant_id for r in people],
    )
    return serve(session.signed_sheet)


@login_required
def attendance_sheet(request, pk: int):
    """The sheet to print before the session: each person's name and a box to sign."""
    session = get_session_for_user(request.user, pk)
    rows = attendance.rows(session, for_provider=_for_provider(request))
    record_document(
        user=request.user,
        about=session,
        document=f"Feuille d'émargement — {_what(session)}",
        participant_ids=[row.referral.participant_id for row in rows],
    )
    content = render_pdf(
        "actions/attendance_sheet_pdf.html",
        {"session": session, "action": session.cohort.action, "rows": rows},
        programme=session.cohort.action.programme,
    )
    return pdf_response(content, f"emargement-{session.date:%Y-%m-%d}-{session.pk}.pdf")


# The statement of days delivered -----------------------------------------------------------


def _statement_of(request, action, data):
    """The statement `data` asks for (the query string, or the hand-in form; the action's
    whole period by default), and its form (with its errors, then the default period is
    shown)."""
    today = timezone.localdate()
    initial = {"du": action.starts_on, "au": min(action.ends_on, today)}
    if initial["au"] < initial["du"]:
        initial["au"] = initial["du"]
    asked = {key: data[key] for key in ("du", "au", "groupe") if key in data}
    form = StatementForm({**{k: v.isoformat() for k, v in initial.items()}, **asked}, action=action)
    cleaned = form.cleaned_data if form.is_valid() else initial
    cohort_pk = cleaned.get("groupe")
    cohort = action.cohorts.get(pk=cohort_pk) if cohort_pk else None
    found = statement.statement(
        action,
        starts_on=cleaned["du"],
        ends_on=cleaned["au"],
        cohort=cohort,
        for_provider=_for_provider(request),
    )
    return form, found, cohort


def _query(found, cohort) -> str:
    query = f"du={found.starts_on:%Y-%m-%d}&au={found.ends_on:%Y-%m-%d}"
    return query + (f"&groupe={cohort.pk}" if cohort else "")


@login_required
def days_statement(request, pk: int):
    action = get_action_for_user(request.user, pk)
    form, found, cohort = _statement_of(request, action, request.GET)
    shown(
        request,
        found.participant_ids,
        what=f"État des jours réalisés — {action}",
    )
    deliverable = statement.awaited_deliverable(action)
    return render(
        request,
        "actions/days_statement.html",
        {
            "action": action,
            "form": form,
            "statement": found,
            "cohort": cohort,
            "query": _query(found, cohort),
            "deliverable": deliverable,
            "can_hand_in": deliverable is not None and cohort is None,
        },
    )


def _statement_document(request, pk: int, extension: str):
    action = get_action_for_user(request.user, pk)
    _form, found, cohort = _statement_of(request, action, request.GET)
    name = statement.file_name(found, extension)
    record_document(
        user=request.user,
        about=action,
        document=f"État des jours réalisés ({extension.upper()}) : {name}",
        participant_ids=found.participant_ids,
    )
    if extension == "pdf":
        return pdf_response(statement.pdf(found, cohort=cohort), name)
    response = HttpResponse(
        statement.xlsx(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def days_statement_pdf(request, pk: int):
    return _statement_document(request, pk, "pdf")


@login_required
def days_statement_xlsx(request, pk: int):
    return _statement_document(request, pk, "xlsx")


@login_required
@require_POST
def days_statement_hand_in(request, pk: int):
    """« Déposer comme livrable »: the whole action's statement over the period, as the PDF
    the final instalment waits for."""
    action = get_action_for_user(request.user, pk)
    form, found, cohort = _statement_of(request, action, request.POST)
    back = reverse("actions:days_statement", args=[action.pk]) + "?" + _query(found, None)
    if not form.is_valid() or cohort is not None:
        messages.error(
            request,
            "Choisissez une période valable et tous les groupes, puis déposez de nouveau l'état.",
        )
        return redirect(back)
    try:
        deliverable = statement.hand_in(action=action, found=found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        f"État des jours déposé comme livrable « {deliverable.label} » : l'équipe du PLIE va "
        "le vérifier.",
    )
    return redirect(back)
