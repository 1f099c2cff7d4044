"""Action pages: the list (the team's, a référent's open actions, a provider's own), a new
action on an agreement and the generation of its cohorts, an action's page (its cohorts and
their places) and a cohort's page (its sessions, moved, cancelled or added there). No page
here shows a person: places are counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.accounts.enums import Role
from plie.actions import services
from plie.actions.access import (
    actions_for_user,
    get_action_for_user,
    get_cohort_for_user,
    get_session_for_user,
)
from plie.actions.calendar import WEEKDAY_NAMES, holidays_between
from plie.actions.cohort_forms import ActionForm, SessionAddForm, SessionCancelForm, SessionMoveForm
from plie.actions.enums import Diagnostic, SessionStatus
from plie.actions.models import Action
from plie.core import plugins
from plie.core.forms import apply_errors
from plie.core.plurals import counted
from plie.core.submissions import AlreadySubmitted, once
from plie.territory.models import Programme


@login_required
@permission_required("actions.view_actions", raise_exception=True)
def action_list(request):
    user = request.user
    actions = actions_for_user(user).select_related("agreement__provider")
    if user.role == Role.REFERENT:
        actions = actions.filter(is_open=True)
    actions = actions.annotate(cohort_count=Count("cohorts", distinct=True))
    return render(
        request,
        "actions/action_list.html",
        {
            "actions": list(actions),
            "title": "Mes actions" if user.role == Role.PROVIDER else "Actions",
            "show_provider": user.role != Role.PROVIDER,
        },
    )


@login_required
@permission_required("actions.manage_action", raise_exception=True)
def action_create(request):
    programme = Programme.current()
    form = ActionForm(request.POST or None, programme=programme)
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with once(form.token) as submission:
                    action = services.create_action(
                        programme=programme,
                        agreement=data["agreement"],
                        title=data["title"],
                        content=data["content"],
                        places=data["places"],
                        minimum_per_cohort=data["minimum_per_cohort"],
                        maximum_per_cohort=data["maximum_per_cohort"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        cohort_every_weeks=data["cohort_every_weeks"],
                        cohort_weeks=data["cohort_weeks"],
                        weekdays=data["weekdays"],
                        half_day=data["half_day"],
                        hours_per_session=data["hours_per_session"],
                        individual_interviews=data["individual_interviews"],
                        diagnostics=data["diagnostics"],
                        for_new_entrants=data["for_new_entrants"],
                        is_open=data["is_open"],
                        by=request.user,
                    )
                    submission.leads_to(reverse("actions:action_detail", args=[action.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    "Action créée. Vérifiez ci-dessous les groupes prévus, puis générez-les.",
                )
                return redirect("actions:action_detail", pk=action.pk)
    return render(request, "actions/action_form.html", {"form": form})


def _weekdays(action: Action) -> str:
    return ", ".join(WEEKDAY_NAMES[day] for day in sorted(action.weekdays or ()))


@login_required
def action_detail(request, pk: int):
    action = get_action_for_user(request.user, pk)
    cohorts = list(
        action.cohorts.with_places().annotate(session_count=Count("sessions", distinct=True))
    )
    # Once someone is referred, the groups stay: the calendar is no longer offered again.
    can_manage = request.user.has_perm("actions.manage_action") and not (
        services.has_referrals(action)
    )
    plan = error = None
    try:
        plan = services.plan_of(action)
    except ValidationError as refused:
        error = refused.messages[0]
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "agreement": action.agreement,
            "cohorts": cohorts,
            "weekdays": _weekdays(action),
            "diagnostics": [Diagnostic(d).label for d in action.diagnostics if d in Diagnostic],
            "plan": plan,
            "plan_error": error,
            "can_manage": can_manage,
            "can_see_days": request.user.has_perm("actions.days_statement", action),
            "can_open_agreement": request.user.has_perm(
                "agreements.open_agreement", action.agreement
            ),
            "blocks": plugins.action_blocks(request, action),
        },
    )


@login_required
@permission_required("actions.manage_action", raise_exception=True)
@require_POST
def cohorts_generate(request, pk: int):
    action = get_action_for_user(request.user, pk)
    try:
        plan = services.generate_cohorts(action=action, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"Groupes générés : {counted(len(plan.cohorts), 'un groupe')} et "
            f"{counted(plan.session_count, 'une séance')}.",
        )
    return redirect(reverse("actions:action_detail", args=[action.pk]) + "#groupes")


def _cohort_page(request, cohort, bound: dict | None = None, status: int = 200):
    """The cohort's page; `bound` puts a form sent with errors back in its place."""
    bound = bound or {}
    action = cohort.action
    can_edit = request.user.has_perm("actions.edit_sessions", action)
    sessions = list(cohort.sessions.all())
    if can_edit:
        for session in sessions:
            if session.status == SessionStatus.PLANNED:
                session.move_form = bound.get(("move", session.pk)) or SessionMoveForm(
                    prefix=f"d{session.pk}",
                    initial={"date": session.date, "half_day": session.half_day},
                )
                session.cancel_form = bound.get(("cancel", session.pk)) or SessionCancelForm(
                    prefix=f"a{session.pk}"
                )
    counts = (
        type(cohort).objects.filter(pk=cohort.pk).with_places().values("taken", "waiting").get()
    )
    return render(
        request,
        "actions/cohort_detail.html",
        {
            "cohort": cohort,
            "action": action,
            "sessions": sessions,
            "holidays": holidays_between(
                cohort.starts_on, cohort.ends_on, tuple(action.weekdays or ())
            ),
            "taken": counts["taken"],
            "waiting": counts["waiting"],
            "can_edit": can_edit,
            "can_record_attendance": request.user.has_perm("actions.record_attendance", action),
            "today": timezone.localdate(),
            "add_form": (bound.get("add") or SessionAddForm(prefix="n")) if can_edit else None,
        },
        status=status,
    )


@login_required
def cohort_detail(request, pk: int):
    return _cohort_page(request, get_cohort_for_user(request.user, pk))


def _back(request, cohort, message: str, anchor: str = ""):
    messages.success(request, message)
    return redirect(reverse("actions:cohort_detail", args=[cohort.pk]) + anchor)


@login_required
@require_POST
def session_move(request, pk: int):
    session = get_session_for_user(request.user, pk, "actions.edit_sessions")
    cohort = session.cohort
    form = SessionMoveForm(request.POST, prefix=f"d{session.pk}")
    if form.is_valid():
        try:
            services.move_session(
                session=session,
                date=form.cleaned_data["date"],
                half_day=form.cleaned_data["half_day"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _back(request, cohort, f"Séance déplacée : {session}.", f"#seance-{pk}")
    return _cohort_page(request, cohort, {("move", session.pk): form}, status=400)


@login_required
@require_POST
def session_cancel(request, pk: int):
    session = get_session_for_user(request.user, pk, "actions.edit_sessions")
    cohort = session.cohort
    form = SessionCancelForm(request.POST, prefix=f"a{session.pk}")
    if form.is_valid():
        try:
            services.cancel_session(
                session=session, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _back(request, cohort, f"Séance annulée : {session}.", f"#seance-{pk}")
    return _cohort_page(request, cohort, {("cancel", session.pk): form}, status=400)


@login_required
@require_POST
def session_add(request, pk: int):
    cohort = get_cohort_for_user(request.user, pk, "actions.edit_sessions")
    form = SessionAddForm(request.POST, prefix="n")
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = services.add_session(
                cohort=cohort,
                date=data["date"],
                half_day=data["half_day"],
                kind=data["kind"],
                hours=data["hours"],
                topic=data["topic"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _back(request, cohort, f"Séance ajoutée : {session}.", f"#seance-{session.pk}")
    return _cohort_page(request, cohort, {"add": form}, status=400)
