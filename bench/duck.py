"""The near-limit reference: the same key figures computed by DuckDB over the same data
exported to Parquet files, with SQL written from docs/indicators.md (not from the code).

    uv run --group bench python bench/duck.py export --database sqlite|postgresql
    uv run --group bench python bench/duck.py figures --database sqlite|postgresql [--repeat 7]

`export` runs beside Django: it reads the needed columns of participants, pathways,
education levels, steps and contacts through the application's connection, writes them to
CSV, then DuckDB turns each CSV into Parquet; both times are reported. `figures` runs
without Django: it times the DuckDB queries alone, over the Parquet files, and prints the
values for run.py to compare with the application's.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import statistics
import time

from environment import DATABASES, OUTPUT_DIR

# Table exported -> (application table, columns, DuckDB types). Booleans are written 1/0.
TABLES = {
    "participants": (
        "participants_participant",
        {
            "id": "BIGINT",
            "programme_id": "BIGINT",
            "sex": "VARCHAR",
            "commune_id": "BIGINT",
            "qpv_id": "BIGINT",
        },
    ),
    "pathways": (
        "participants_pathway",
        {
            "id": "BIGINT",
            "participant_id": "BIGINT",
            "number": "INTEGER",
            "status": "VARCHAR",
            "entry_date": "DATE",
            "exit_date": "DATE",
            "exit_reason": "VARCHAR",
            "receives_rsa": "INTEGER",
            "education_level_id": "BIGINT",
        },
    ),
    "education_levels": ("territory_educationlevel", {"id": "BIGINT", "level": "INTEGER"}),
    "steps": (
        "pathways_step",
        {"id": "BIGINT", "pathway_id": "BIGINT", "start_date": "DATE", "end_date": "DATE"},
    ),
    "contacts": (
        "pathways_contact",
        {"id": "BIGINT", "pathway_id": "BIGINT", "contacted_on": "DATE"},
    ),
}
# Steps and contacts withdrawn (entered by mistake) count nowhere: only those in effect leave.
IN_EFFECT = {"steps": "withdrawn_at IS NULL", "contacts": "withdrawn_at IS NULL"}
FETCH = 20_000
NEUTRAL_EXIT_REASONS = ("moved", "retirement", "death")  # docs/indicators.md, « Sorties »


def months_between(earlier: str, later: str) -> str:
    """docs/indicators.md, « Dates et durées »: from `earlier` up to `later` excluded, whole
    calendar months (one less when `later`'s day is before `earlier`'s and is not the last
    day of its month: from 31 January, 28 February is a month on), then the days left over,
    from `earlier` plus those months to `later`, in 30ths of a month."""
    short = f"day({earlier}) > day({later}) AND {later} <> last_day({later})"
    # `earlier` plus the whole months, as a date: the same day, or its month's last day.
    months = (
        f"((year({later}) - year({earlier})) * 12 + month({later}) - month({earlier})"
        f" - CASE WHEN {short} THEN 1 ELSE 0 END)"
    )
    landed = (
        f"least(date_trunc('month', {earlier}) + to_months({months}) + to_days(day({earlier}) - 1),"
        f" last_day(date_trunc('month', {earlier}) + to_months({months})))"
    )
    return (
        f"CASE WHEN {later} <= {earlier} THEN 0"
        f" ELSE {months} + date_diff('day', CAST({landed} AS DATE), {later}) / 30 END"
    )


# Every definition below is docs/indicators.md's: « Parcours pris en compte » (entered:
# active or exited, with an entry date), « File active à une date » (at the end of J:
# entered on or before J, not exited on or before J), « Personnes accompagnées » (entered
# by the last day, not exited before the first), « Parcours de référence » (a person's
# highest-numbered pathway of the period), « Part sans étape » (no step started on or
# before J and not ended before J), « Dates et durées » (calendar months and days).
KEY_FIGURES_SQL = f"""
WITH entered AS (
    SELECT p.*, pe.sex, pe.qpv_id, pe.commune_id, e.level
    FROM pathways p
    JOIN participants pe ON pe.id = p.participant_id
    LEFT JOIN education_levels e ON e.id = p.education_level_id
    WHERE p.status IN ('active', 'exited') AND p.entry_date IS NOT NULL
      AND pe.programme_id = $programme
),
accompanied AS (
    SELECT * FROM entered
    WHERE entry_date <= $date_to AND (exit_date IS NULL OR exit_date >= $date_from)
),
people AS (
    SELECT * FROM accompanied
    QUALIFY row_number() OVER (PARTITION BY participant_id ORDER BY number DESC) = 1
),
running AS (
    SELECT DISTINCT pathway_id FROM steps
    WHERE start_date <= $date_to AND (end_date IS NULL OR end_date >= $date_to)
),
by_person AS (
    SELECT
        count(*) AS people_accompanied,
        count(*) FILTER (WHERE present) AS active_caseload,
        count(*) FILTER (WHERE present AND running.pathway_id IS NULL) AS without_step,
        count(*) FILTER (WHERE sex = 'F') AS women,
        count(*) FILTER (WHERE receives_rsa = 1) AS rsa,
        count(*) FILTER (WHERE receives_rsa IS NOT NULL) AS rsa_known,
        count(*) FILTER (WHERE qpv_id IS NOT NULL) AS qpv,
        count(*) FILTER (WHERE level <= 3) AS level_3_or_below,
        count(*) FILTER (WHERE education_level_id IS NOT NULL) AS education_level_known,
        count(DISTINCT commune_id) AS communes_reached
    FROM (
        SELECT *, entry_date <= $date_to AND (exit_date IS NULL OR exit_date > $date_to)
            AS present
        FROM people
    ) people
    LEFT JOIN running ON running.pathway_id = people.id
),
by_pathway AS (
    SELECT
        count(*) AS pathways_accompanied,
        count(*) FILTER (WHERE entry_date < $date_from) AS carried_over,
        count(*) FILTER (WHERE entry_date >= $date_from) AS entries,
        count(*) FILTER (WHERE exited) AS exits,
        count(*) FILTER (WHERE exited AND exit_reason = 'positive') AS positive_exits,
        count(*) FILTER (WHERE exited AND exit_reason IN {NEUTRAL_EXIT_REASONS})
            AS neutral_exits,
        avg({months_between("entry_date", "exit_date")}) FILTER (WHERE exited)
            AS average_length_months
    FROM (
        SELECT *, status = 'exited' AND exit_date BETWEEN $date_from AND $date_to AS exited
        FROM accompanied
    ) accompanied
),
by_contact AS (
    SELECT count(*) AS contacts
    FROM contacts c JOIN accompanied a ON a.id = c.pathway_id
    WHERE c.contacted_on BETWEEN $date_from AND $date_to
      AND c.contacted_on >= a.entry_date
      AND (a.exit_date IS NULL OR c.contacted_on <= a.exit_date)
)
SELECT * FROM by_person, by_pathway, by_contact
"""

# « File active à une date » in persons, and those of them whose pathway has no running step.
CASELOAD_SQL = """
WITH present AS (
    SELECT p.id, p.participant_id
    FROM pathways p JOIN participants pe ON pe.id = p.participant_id
    WHERE p.status IN ('active', 'exited') AND p.entry_date IS NOT NULL
      AND pe.programme_id = $programme
      AND p.entry_date <= $day AND (p.exit_date IS NULL OR p.exit_date > $day)
),
running AS (
    SELECT DISTINCT pathway_id FROM steps
    WHERE start_date <= $day AND (end_date IS NULL OR end_date >= $day)
)
SELECT
    count(DISTINCT participant_id) AS people,
    count(DISTINCT participant_id) FILTER (WHERE running.pathway_id IS NULL) AS without_step
FROM present LEFT JOIN running ON running.pathway_id = present.id
"""


def files_of(database: str):
    return OUTPUT_DIR / f"export-{database}"


# Export ------------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value


def export(database: str) -> dict:
    """Write the tables to CSV through Django's connection, then to Parquet through DuckDB."""
    import duckdb
    from django.db import connection

    directory = files_of(database)
    directory.mkdir(parents=True, exist_ok=True)
    rows_written: dict[str, int] = {}
    started = time.perf_counter()
    for name, (table, columns) in TABLES.items():
        count = 0
        with (
            open(directory / f"{name}.csv", "w", newline="", encoding="utf-8") as file,
            connection.cursor() as cursor,
        ):
            writer = csv.writer(file)
            writer.writerow(columns)
            where = f" WHERE {IN_EFFECT[name]}" if name in IN_EFFECT else ""
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}{where}")
            while rows := cursor.fetchmany(FETCH):
                writer.writerows([_csv_value(value) for value in row] for row in rows)
                count += len(rows)
        rows_written[name] = count
    to_csv = time.perf_counter() - started
    started = time.perf_counter()
    with duckdb.connect() as duck:
        for name, (_, columns) in TABLES.items():
            types = ", ".join(f"'{column}': '{kind}'" for column, kind in columns.items())
            duck.execute(
                f"COPY (SELECT * FROM read_csv('{directory / name}.csv', header = true, "
                f"columns = {{{types}}}, nullstr = '')) "
                f"TO '{directory / name}.parquet' (FORMAT parquet)"
            )
            (directory / f"{name}.csv").unlink()
    to_parquet = time.perf_counter() - started
    from plie.territory.models import Programme

    (directory / "programme.json").write_text(json.dumps({"id": Programme.current().pk}))
    return {
        "rows": rows_written,
        "database_to_csv_s": round(to_csv, 2),
        "csv_to_parquet_s": round(to_parquet, 2),
    }


# Figures -------------------------------------------------------------------------------


def connect(database: str):
    """An in-memory DuckDB whose tables are views over the Parquet files."""
    import duckdb

    directory = files_of(database)
    duck = duckdb.connect()
    for name in TABLES:
        duck.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{directory / name}.parquet')"
        )
    programme = json.loads((directory / "programme.json").read_text())["id"]
    return duck, programme


def _row(duck, sql: str, parameters: dict) -> dict:
    cursor = duck.execute(sql, parameters)
    names = [column[0] for column in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def key_figures(duck, programme: int, date_from: datetime.date, date_to: datetime.date) -> dict:
    values = _row(
        duck,
        KEY_FIGURES_SQL,
        {"programme": programme, "date_from": date_from, "date_to": date_to},
    )
    countable = values["exits"] - values["neutral_exits"]
    values["positive_exit_rate"] = values["positive_exits"] / countable if countable else None
    people = values["people_accompanied"]
    for share, part, whole in [
        ("share_women", "women", people),
        ("share_rsa", "rsa", values["rsa_known"]),
        ("share_qpv", "qpv", people),
        ("share_level_3_or_below", "level_3_or_below", values["education_level_known"]),
        ("share_without_step", "without_step", values["active_caseload"]),
    ]:
        values[share] = values[part] / whole if whole else None
    return values


def caseload(duck, programme: int, day: datetime.date) -> dict:
    values = _row(duck, CASELOAD_SQL, {"programme": programme, "day": day})
    values["share_without_step"] = (
        values["without_step"] / values["people"] if values["people"] else None
    )
    return values


def _timed(function, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(runs), 1),
        "max_ms": round(max(runs), 1),
        "runs_ms": [round(run, 1) for run in runs],
    }


def figures(database: str, periods: list[tuple[datetime.date, datetime.date]], repeat: int):
    """Values for every period (the first one timed), as measure.py reports the app's."""
    duck, programme = connect(database)
    date_from, date_to = periods[0]
    key_figures(duck, programme, date_from, date_to)  # warm-up: file metadata read
    result = {
        "period": [date_from.isoformat(), date_to.isoformat()],
        "key_figures": _timed(lambda: key_figures(duck, programme, date_from, date_to), repeat),
        "caseload_on": _timed(lambda: caseload(duck, programme, date_to), repeat),
        "checked": [
            {
                "date_from": start.isoformat(),
                "date_to": end.isoformat(),
                "figures": key_figures(duck, programme, start, end),
                "caseload": caseload(duck, programme, end),
            }
            for start, end in periods
        ],
    }
    duck.close()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["export", "figures"])
    parser.add_argument("--database", choices=sorted(DATABASES), required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    if args.action == "export":
        from environment import start_django

        start_django(DATABASES[args.database])
        print(json.dumps(export(args.database), indent=2))
        return
    from measure import CHECKED_PERIODS

    print(json.dumps(figures(args.database, CHECKED_PERIODS, args.repeat), indent=2, default=str))


if __name__ == "__main__":
    main()
