"""The morning pages: who needs attention (own caseload or everyone's), caseloads per référent."""

from collections import Counter

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from plie.accounts.models import User
from plie.participants.enums import (
    HIDDEN_EXIT_REASON,
    MERGED_WHEN_HIDDEN,
    NEUTRAL_EXIT_REASONS,
    ExitReason,
    PathwayStatus,
)
from plie.participants.models import Participant, Pathway, Referral
from plie.participants.presenters import MISSING_EXIT_REASON
from plie.pathways.selectors import active_on
from plie.pathways.worklists import Worklist, worklists
from plie.territory.models import Programme

ROW_LIMIT = 200  # rows shown per list; the count above each list is the whole one
EXITS_PER_PAGE = 100  # a year of the whole PLIE is thousands of exits (15,000 at scale)


def _scope(request):
    """The référent's own caseload; for the coordination team everyone, or one référent."""
    pathways = Pathway.objects.for_user(request.user)
    referrals = Referral.objects.filter(participant__in=Participant.objects.for_user(request.user))
    chosen = None
    if request.user.is_coordination_team and request.GET.get("referent", "").isdigit():
        chosen = User.objects.referents().filter(pk=request.GET["referent"]).first()
        if chosen is not None:
            pathways = pathways.filter(referent=chosen)
            referrals = referrals.filter(participant__referent=chosen)
    return pathways, referrals, chosen


@login_required
@permission_required("pathways.view_worklists", raise_exception=True)
def worklist_page(request):
    programme = Programme.current()
    today = timezone.localdate()
    pathways, referrals, chosen = _scope(request)
    lists = worklists(programme, pathways, referrals, today)
    return render(
        request,
        "pathways/worklists.html",
        {
            # A référent's lists are short; the whole PLIE's run to thousands of rows.
            "lists": lists.first(ROW_LIMIT),
            "programme": programme,
            "today": today,
            "chosen": chosen,
            "referents": User.objects.referents() if request.user.is_coordination_team else [],
            "row_limit": ROW_LIMIT,
        },
    )


@login_required
@permission_required("pathways.view_caseloads", raise_exception=True)
def caseload_page(request):
    programme = Programme.current()
    today = timezone.localdate()
    lists = worklists(programme, Pathway.objects.all(), Referral.objects.all(), today)
    # The caseload as the figures count it (docs/indicators.md): an exit of today still counts.
    active = Worklist(active_on(today), "referent")
    counts: dict[str, Counter] = {"active": active.per_referent(), **lists.per_referent()}
    rows = [
        {"referent": referent, **{key: counter[referent.pk] for key, counter in counts.items()}}
        for referent in User.objects.referents().select_related("organisation")
    ]
    totals = {key: sum(counter.values()) for key, counter in counts.items()}
    return render(
        request,
        "pathways/caseloads.html",
        {"rows": rows, "totals": totals, "programme": programme, "today": today},
    )


@login_required
@permission_required("pathways.view_worklists", raise_exception=True)
def exit_list(request):
    """Exits of a year, with their reasons; the référent sees their own."""
    today = timezone.localdate()
    year = int(request.GET["annee"]) if request.GET.get("annee", "").isdigit() else today.year
    exits = (
        Pathway.objects.for_user(request.user)
        .filter(status=PathwayStatus.EXITED, exit_date__year=year)
        .select_related("participant", "referent")
        .order_by("-exit_date", "participant__last_name")
    )
    show_sensitive = request.user.is_referent or request.user.has_perm(
        "participants.view_sensitive_data"
    )
    reasons = Counter(dict(exits.order_by().values_list("exit_reason").annotate(count=Count("pk"))))
    if not show_sensitive:
        for reason in MERGED_WHEN_HIDDEN:
            if reason in reasons:
                reasons[HIDDEN_EXIT_REASON] += reasons.pop(reason)
    neutral = sum(reasons[reason] for reason in NEUTRAL_EXIT_REASONS)
    total = sum(reasons.values())
    counted = total - neutral
    query = request.GET.copy()
    query.pop("page", None)
    positive = reasons[ExitReason.POSITIVE]
    return render(
        request,
        "pathways/exit_list.html",
        {
            "page": Paginator(exits, EXITS_PER_PAGE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "total": total,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "positive": positive,
            "neutral": neutral,
            "rate": round(100 * positive / counted) if counted else None,
            "by_reason": [(_reason_label(code), count) for code, count in reasons.most_common()],
            # The référent's own exits (for_user); the case leads see every reason.
            "show_sensitive": show_sensitive,
        },
    )


def _reason_label(code: str) -> str:
    if code == HIDDEN_EXIT_REASON:
        return code
    return ExitReason(code).label if code else MISSING_EXIT_REASON
