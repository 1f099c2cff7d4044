"""The data quality page: what the assistant should get fixed, check by check, with the
counts by référent at the top, as found by the latest background run of the checks."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone

from plie.accounts.models import User
from plie.audit.reads import shown
from plie.reporting.models import QualityRun
from plie.reporting.quality import GROUPS, LIMIT, for_reader, group_titles, results_of
from plie.reporting.tasks import request_quality_run


def _by_referent(results) -> tuple[list[dict], dict[str, int]]:
    """One row per référent with at least one problem: the counts of each group of checks."""
    counts: dict[int | None, dict[str, int]] = {}
    for result in results:
        for referent_id, count in result.by_referent.items():
            row = counts.setdefault(referent_id, dict.fromkeys(GROUPS, 0))
            row[result.group] += count
    people = User.objects.filter(pk__in=[pk for pk in counts if pk is not None]).order_by(
        "last_name", "first_name"
    )
    rows = [{"referent": str(user), "counts": list(counts[user.pk].values())} for user in people]
    if None in counts:
        rows.append({"referent": "Sans référent(e)", "counts": list(counts[None].values())})
    totals = dict.fromkeys(GROUPS, 0)
    for result in results:
        totals[result.group] += result.total
    return rows, totals


@login_required
@permission_required("reporting.view_data_quality", raise_exception=True)
def quality_page(request):
    """The latest run's results; a new run is asked for when the latest is too old (or on
    the button), and the page follows it until it is done."""
    if request.method == "POST":
        request_quality_run(user=request.user)
        return redirect("reporting:quality")
    today = timezone.localdate()
    latest = QualityRun.objects.latest_done()
    pending = QualityRun.objects.pending().first()
    if pending is None and (latest is None or not latest.is_fresh()):
        pending = request_quality_run(user=request.user)
    results = [
        for_reader(result, request.user.has_perm)
        for result in (results_of(latest.results, today) if latest else [])
    ]
    rows, totals = _by_referent(results)
    shown(
        request,
        [line.participant_id for result in results for line in result.lines],
        what="Qualité des données",
    )
    # While a run goes on, htmx asks for the results part alone every few seconds.
    template = "reporting/quality.html" + ("#quality-results" if request.htmx else "")
    return render(
        request,
        template,
        {
            "results": results,
            "groups": group_titles(),
            "rows": rows,
            "totals": list(totals.values()),
            "latest": latest,
            "pending": pending,
            "polling": pending is not None,
            "today": today,
            "limit": LIMIT,
        },
    )
