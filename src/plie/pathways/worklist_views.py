"""The morning pages: who needs attention (own caseload or everyone's), caseloads per référent."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from plie.accounts.models import User
from plie.audit.reads import shown
from plie.core import queries
from plie.core.collation import by_last_name, french_sorted
from plie.core.kept import FRESH_FOR, Kept
from plie.participants.enums import (
    HIDDEN_EXIT_REASON,
    MERGED_WHEN_HIDDEN,
    NEUTRAL_EXIT_REASONS,
    ExitReason,
    PathwayStatus,
)
from plie.participants.models import Participant, Referral
from plie.pathways.entry_summary import MISSING_EXIT_REASON
from plie.pathways.models import Pathway
from plie.pathways.selectors import active_on
from plie.pathways.worklists import (
    LISTS,
    Listing,
    Worklist,
    kept_whole_plie,
    whole_plie,
    worklists,
)
from plie.territory.models import Programme

OVERVIEW_ROWS = 20  # the whole PLIE's lists on « À suivre »: the rest on each list's page
ROW_LIMIT = 100  # a référent's lists on « À suivre », and a list's page
EXITS_PER_PAGE = 100  # a year of the whole PLIE is thousands of exits (15,000 at scale)


def _scope(request):
    """The référent's own caseload; for the coordination team everyone, or one référent."""
    pathways = Pathway.objects.for_user(request.user)
    referrals = Referral.objects.filter(participant__in=Participant.objects.for_user(request.user))
    chosen = None
    asked, number = queries.whole_number(request, "referent")
    if request.user.is_coordination_team and asked:
        if number is not None:
            chosen = User.objects.referents().filter(pk=number).first()
        if chosen is None:
            messages.warning(
                request,
                "Ce référent n'existe pas (ou n'est plus référent) : choisissez-en un dans "
                "la liste. Voici les listes de tous les référents.",
            )
        else:
            pathways = pathways.filter(referent=chosen)
            referrals = referrals.filter(participant__referent=chosen)
    return pathways, referrals, chosen


def _lists(request, programme, today, *, only: str | None = None):
    """The lists of the page's scope and their keys: the whole PLIE's as kept (with their
    time), a référent's computed now (`only` that list, for its own page)."""
    pathways, referrals, chosen = _scope(request)
    if request.user.is_coordination_team and chosen is None:
        lists = whole_plie(programme, today)
        return lists, kept_whole_plie(programme, today, lists), chosen
    lists = worklists(programme, pathways, referrals, today)
    if only is not None:
        return lists, Kept.now(Listing({only: getattr(lists, only).listed()})), chosen
    return lists, Kept.now(lists.listing()), chosen


def _people(rows) -> list[int]:
    """The participants of a list's rows: referrals and pathways name theirs, steps,
    follow-ups and exit candidates through their pathway."""
    people = []
    for row in rows:
        if hasattr(row, "participant_id"):
            people.append(row.participant_id)
        elif getattr(row, "pathway", None) is not None:
            people.append(row.pathway.participant_id)
    return people


def _titles(programme) -> dict[str, str]:
    """Each list's heading, with the programme's thresholds."""
    return {
        "exit_candidates": "Remplissent une condition de sortie positive",
        "without_step": f"Sans étape depuis plus de {programme.alert_days_without_step} jours",
        "not_seen": f"Sans contact depuis plus de {programme.alert_days_not_seen} jours",
        "referrals_waiting": "Orientations sans premier rendez-vous depuis plus de "
        f"{programme.alert_days_referral_waiting} jours",
        "steps_ending": f"Étapes se terminant dans les {programme.alert_days_step_ending} jours",
        "follow_ups_due": "Suivis à six mois à faire",
    }


def _context(request, programme, today, chosen, listing: Kept) -> dict:
    return {
        # Everyone's lists name each row's référent; one référent's lists need not.
        "show_referent": request.user.is_coordination_team and chosen is None,
        # The rows are a référent's own participants, or everyone's for the coordination team:
        # who follows pathways may propose an exit or record a follow-up on every row (a
        # référent, a case lead), the assistant on none (docs/permissions.md).
        "follows": request.user.is_referent or request.user.has_perm("committee.propose_exit"),
        "titles": _titles(programme),
        "programme": programme,
        "today": today,
        "chosen": chosen,
        "computed_at": listing.computed_at,
        "refreshing": listing.refreshing,
        "fresh_minutes": int(FRESH_FOR.total_seconds() // 60),
        "slugs": LISTS,
    }


@login_required
@permission_required("pathways.view_worklists", raise_exception=True)
def worklist_page(request):
    programme = Programme.current()
    today = timezone.localdate()
    lists, listing, chosen = _lists(request, programme, today)
    # Kept lists are the whole PLIE's (`_lists`): thousands of rows, the first ones shown.
    limit = OVERVIEW_ROWS if listing.computed_at else ROW_LIMIT
    first = lists.first(limit, listing.value)
    shown(
        request,
        [person for part in first.values() for person in _people(part.rows)],
        what="À suivre" + (f" ({chosen})" if chosen else ""),
    )
    return render(
        request,
        "pathways/worklists.html",
        {
            **_context(request, programme, today, chosen, listing),
            "lists": first,
            "referents": french_sorted(User.objects.referents(), key=by_last_name)
            if request.user.is_coordination_team
            else [],
            "row_limit": limit,
        },
    )


@login_required
@permission_required("pathways.view_worklists", raise_exception=True)
def worklist_list(request, slug):
    """One list whole, page by page: the whole PLIE's run to thousands of rows."""
    names = {slug: name for name, slug in LISTS.items()}
    if slug not in names:
        raise Http404("Cette liste n'existe pas.")
    name = names[slug]
    programme = Programme.current()
    today = timezone.localdate()
    lists, listing, chosen = _lists(request, programme, today, only=name)
    page = Paginator(listing.value.lists[name].keys, ROW_LIMIT).get_page(queries.page(request))
    rows = getattr(lists, name).rows_of(page.object_list)
    shown(request, _people(rows), what=f"À suivre : {_titles(programme)[name]}")
    query = request.GET.copy()
    query.pop("page", None)
    if chosen is None:
        query.pop("referent", None)  # an unknown one, said once, not carried page to page
    return render(
        request,
        "pathways/worklist.html",
        {
            **_context(request, programme, today, chosen, listing),
            "rows_template": f"pathways/worklists.html#rows-{name}",
            "title": _titles(programme)[name],
            "page": page,
            "rows": rows,
            "count": page.paginator.count,
            "query": query.urlencode(),
        },
    )


@login_required
@permission_required("pathways.view_caseloads", raise_exception=True)
def caseload_page(request):
    programme = Programme.current()
    today = timezone.localdate()
    listing = kept_whole_plie(programme, today, whole_plie(programme, today))
    # The caseload as the figures count it (docs/indicators.md): out on the day of the exit.
    active = Worklist(active_on(today), "referent")
    counts: dict[str, Counter] = {"active": active.per_referent(), **listing.value.per_referent()}
    rows = [
        {"referent": referent, **{key: counter[referent.pk] for key, counter in counts.items()}}
        for referent in french_sorted(
            User.objects.referents().select_related("organisation"), key=by_last_name
        )
    ]
    totals = {key: sum(counter.values()) for key, counter in counts.items()}
    return render(
        request,
        "pathways/caseloads.html",
        {
            "rows": rows,
            "totals": totals,
            "programme": programme,
            "today": today,
            "computed_at": listing.computed_at,
            "refreshing": listing.refreshing,
            "fresh_minutes": int(FRESH_FOR.total_seconds() // 60),
        },
    )


@login_required
@permission_required("pathways.view_worklists", raise_exception=True)
def exit_list(request):
    """Exits of a year, with their reasons; the référent sees their own."""
    today = timezone.localdate()
    # An exit is recorded on its day: none after this year.
    year = queries.year(request, "annee", today.year, highest=today.year)
    exits = (
        Pathway.objects.for_user(request.user)
        .filter(status=PathwayStatus.EXITED, exit_date__year=year)
        .select_related("participant", "referent")
        .order_by("-exit_date", "participant__last_name")
    )
    show_sensitive = request.user.has_perm("participants.read_sensitive_data")
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
    page = Paginator(exits, EXITS_PER_PAGE).get_page(queries.page(request))
    shown(request, [pathway.participant for pathway in page], what=f"Sorties {year}")
    return render(
        request,
        "pathways/exit_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "total": total,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "positive": positive,
            "neutral": neutral,
            "rate": positive / counted if counted else None,  # written by |percent
            "by_reason": [(_reason_label(code), count) for code, count in reasons.most_common()],
            # The référent's own exits (for_user); the case leads see every reason.
            "show_sensitive": show_sensitive,
        },
    )


def _reason_label(code: str) -> str:
    if code == HIDDEN_EXIT_REASON:
        return code
    return ExitReason(code).label if code else MISSING_EXIT_REASON
