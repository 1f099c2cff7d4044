"""Measures the application on one database, in its own process: the key figures of a period
and the caseload at a date (`reporting.indicators`), then the pages, each requested end to
end through Django's test client (middleware, view, queries, template), with its query count.

    uv run --group bench python bench/measure.py --database sqlite|postgresql [--repeat 5]

Prints one JSON document: the figures' values (compared with DuckDB's by run.py) and,
for every measurement, the time of each run in milliseconds. Pages are requested on the
dataset's reference day (the clock travels there), after one warm-up request each.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable

from environment import DATABASES, start_django
from generate import REFERENCE_DAY

# The period of the key figures and of the dashboard: the last complete year of the data.
YEAR = REFERENCE_DAY.year - 1
PERIOD = (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
# The values are also checked on the year to date.
CHECKED_PERIODS = [PERIOD, (datetime.date(REFERENCE_DAY.year, 1, 1), REFERENCE_DAY)]
REFERENT = "referent1"
COORDINATOR = "coordinatrice"
# The whole PLIE's charts and lists are kept, refreshed in the background after a quarter of
# an hour (core.kept), the quarterly review and the cohort study kept a quarter of an hour
# (quarterly_views, cohort_views): these are also requested with the cache emptied first, as
# the first page after a restart, or of a day for the lists, or of a new review or cohort.
COLD_DASHBOARD = "Tableau de bord (coordination, année), premier calcul"
COLD_REVIEW = "Point d'étape trimestriel (T3), premier calcul"
COLD_COHORT = "Étude de cohorte (1er semestre), premier calcul"
COLD_WORKLISTS = "À suivre (coordination), premier calcul"
COLD = {COLD_DASHBOARD, COLD_REVIEW, COLD_COHORT, COLD_WORKLISTS}
QUARTER = f"annee={REFERENCE_DAY.year}&trimestre=3"
# name, persona, URL name (or URL name and arguments), query string
PAGES = [
    ("Tableau de bord (coordination, année)", COORDINATOR, "reporting:dashboard",
     f"du={YEAR}-01-01&au={YEAR}-12-31"),
    (COLD_DASHBOARD, COORDINATOR, "reporting:dashboard", f"du={YEAR}-01-01&au={YEAR}-12-31"),
    ("Tableau de bord (référent, année)", REFERENT, "reporting:dashboard",
     f"du={YEAR}-01-01&au={YEAR}-12-31"),
    ("Chiffres clés", COORDINATOR, "reporting:key_figures", f"annee={YEAR}"),
    ("Point d'étape trimestriel (T3)", COORDINATOR, "reporting:quarterly_review", QUARTER),
    (COLD_REVIEW, COORDINATOR, "reporting:quarterly_review", QUARTER),
    ("Qualité des données", COORDINATOR, "reporting:quality", ""),
    ("Étude de cohorte (1er semestre)", COORDINATOR, "reporting:cohort",
     f"date_from={YEAR}-01-01&date_to={YEAR}-06-30"),
    (COLD_COHORT, COORDINATOR, "reporting:cohort", f"date_from={YEAR}-01-01&date_to={YEAR}-06-30"),
    ("À suivre (référent)", REFERENT, "pathways:worklists", ""),
    ("À suivre (coordination)", COORDINATOR, "pathways:worklists", ""),
    (COLD_WORKLISTS, COORDINATOR, "pathways:worklists", ""),
    ("À suivre : « Sans contact », page 3", COORDINATOR, ("pathways:worklist", "sans-contact"),
     "page=3"),
    ("Files actives par référent", COORDINATOR, "pathways:caseloads", ""),
    ("Sorties de l'année (coordination)", COORDINATOR, "pathways:exits", f"annee={YEAR}"),
    ("Personnes à joindre (coordination)", COORDINATOR, "participants:outreach", ""),
    ("Participants (coordination, sans filtre)", COORDINATOR, "web:participant_list", ""),
    ("Participants : recherche « martin »", COORDINATOR, "web:participant_list", "q=martin"),
    ("Participants : en parcours", COORDINATOR, "web:participant_list", "status=active"),
    ("Participants : « martin » en parcours, QPV", COORDINATOR, "web:participant_list",
     "q=martin&status=active&qpv=yes"),
    ("Participants : RSA, en parcours", COORDINATOR, "web:participant_list", "rsa=yes&status=active"),
    ("Participants : page 500", COORDINATOR, "web:participant_list", "page=500"),
    ("Participants (référent)", REFERENT, "web:participant_list", ""),
]  # fmt: skip


def timings(runs_ms: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(runs_ms), 1),
        "max_ms": round(max(runs_ms), 1),
        "runs_ms": [round(run, 1) for run in runs_ms],
    }


def time_runs(function: Callable[[], object], repeat: int) -> tuple[dict, object]:
    """Run `function` `repeat` times; the timings, and the last result."""
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        runs.append((time.perf_counter() - started) * 1000)
    return timings(runs), result


def _values(figures) -> dict:
    """A figures dataclass as JSON: its fields and its shares."""
    values = dataclasses.asdict(figures)
    for cls in type(figures).__mro__:  # the shares are on a base class of the figures
        for name, attribute in vars(cls).items():
            if isinstance(attribute, property):
                values[name] = getattr(figures, name)
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
    }


def measure_figures(repeat: int) -> dict:
    from plie.reporting.indicators import caseload_on, figures, key_figures

    date_from, date_to = PERIOD
    key_timing, key = time_runs(lambda: key_figures(date_from, date_to), repeat)
    all_timing, _ = time_runs(lambda: figures(date_from, date_to), repeat)
    caseload_timing, caseload = time_runs(lambda: caseload_on(date_to), repeat)
    checked = [
        {
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
            "figures": _values(figures(start, end)),
            "caseload": _values(caseload_on(end)),
        }
        for start, end in CHECKED_PERIODS
    ]
    return {
        "period": [date_from.isoformat(), date_to.isoformat()],
        "key_figures": {**key_timing, "values": _values(key)},
        "figures": all_timing,
        "caseload_on": {**caseload_timing, "values": _values(caseload)},
        "checked": checked,
    }


class QueryCounter:
    """Counts the queries of a request (Django's own query log is emptied when one starts)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure_pages(repeat: int) -> list[dict]:
    import time_machine
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from plie.accounts.models import User

    # 250 référents do not fit in the référent chart: matplotlib says so on every request.
    warnings.filterwarnings("ignore", message="constrained_layout not applied")
    noon = timezone.make_aware(datetime.datetime.combine(REFERENCE_DAY, datetime.time(12)))
    clients = {}
    results = []
    with time_machine.travel(noon, tick=True):
        quality_run_s = run_quality_checks(User.objects.get(username=COORDINATOR))
        for username in (COORDINATOR, REFERENT):
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        for name, persona, url_name, query in PAGES:
            client = clients[persona]
            url_name, *arguments = (url_name,) if isinstance(url_name, str) else url_name
            url = reverse(url_name, args=arguments) + (f"?{query}" if query else "")

            def get(client=client, url=url, cold=name in COLD):
                if cold:
                    cache.clear()
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: réponse {response.status_code}")
                return response

            get()  # warm-up: templates compiled, caches filled
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response = get()
            page_timing, _ = time_runs(get, repeat)
            results.append(
                {
                    "page": name,
                    "url": url,
                    "persona": persona,
                    "queries": counter.count,
                    "bytes": len(response.content),
                    **page_timing,
                }
            )
            print(f"  {name} : {page_timing['median_ms']} ms", file=sys.stderr, flush=True)
    return results, quality_run_s


def run_quality_checks(user) -> float:
    """The data quality checks as the worker runs them (the page shows the latest run's
    results): their time in seconds, reported beside the pages."""
    from plie.reporting.models import QualityRun
    from plie.reporting.tasks import request_quality_run
    from plie.reporting.tasks import run_quality_checks as run_checks

    QualityRun.objects.all().delete()
    run = request_quality_run(user=user)
    started = time.perf_counter()
    run_checks.call(run.pk)
    return round(time.perf_counter() - started, 2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=sorted(DATABASES), required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["figures", "pages"], help="one half only")
    args = parser.parse_args(argv)
    start_django(DATABASES[args.database])
    result: dict = {"database": args.database}
    if args.only != "pages":
        result["figures"] = measure_figures(args.repeat)
    if args.only != "figures":
        result["pages"], result["quality_run_s"] = measure_pages(args.repeat)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
