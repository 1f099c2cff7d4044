"""The data quality page: what the assistant should get fixed, check by check, with the
counts by référent at the top."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from plie.accounts.models import User
from plie.reporting.quality import GROUPS, LIMIT, data_quality


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
    today = timezone.localdate()
    results = data_quality(today)
    rows, totals = _by_referent(results)
    return render(
        request,
        "reporting/quality.html",
        {
            "results": results,
            "groups": GROUPS,
            "rows": rows,
            "totals": list(totals.values()),
            "today": today,
            "limit": LIMIT,
        },
    )
