"""Builds the benchmark dataset in one database: 100,000 people by default, with their
referrals, pathways, committee items, about a million steps and contacts, and the
organisations and accounts (about one référent per 90 people in the active caseload).

    uv run --group bench python bench/generate.py --database sqlite|postgresql [--reset]

The schema comes from the migrations and the territory from the bundled Dijon package;
the people are drawn by population.py and inserted table by table, a few thousand people
per transaction, with `bulk_create` (primary keys set beforehand, nothing read back). The
demo generator's per-person services would take hours at this size. Seeded: the same
seed, size and reference day give the same rows on both engines.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time

from environment import (
    DATABASES,
    OUTPUT_DIR,
    database_exists,
    engine_of,
    recreate_database,
    start_django,
)

SEED = 2026
PEOPLE = 100_000
# The dataset's "today". Fixed, so that the data (and the worklists) are the same whatever
# the day the benchmark runs; the page measurements travel to this day.
REFERENCE_DAY = datetime.date(2026, 11, 30)
PEOPLE_PER_TRANSACTION = 2_000
ROWS_PER_INSERT = 1_000
PEOPLE_PER_REFERENT = 400  # of all people: about 90 of the active caseload each
COORDINATION = "GIP CREATIV' — PLIE de Dijon Métropole"
PRESCRIBERS = [
    ("France Travail Dijon", "france-travail"),
    ("Mission locale de Dijon", "mission-locale"),
    ("Cap emploi Côte-d'Or", "cap-emploi"),
    ("Conseil départemental de la Côte-d'Or", "departement"),
    ("CCAS de Dijon", "ccas"),
    ("CCAS de Chenôve", "ccas"),
]
REFERENT_EMPLOYERS = [
    "Ville de Dijon — Direction de l'insertion",
    "Association Trajectoires Emploi",
    "Centre social des Grésilles",
    "CCAS de Chenôve — accompagnement",
    "Association Emploi Solidaire Quetigny",
    "Maison de l'emploi de Talant",
    "Association Relais Insertion Longvic",
    "Centre social Fontaine d'Ouche",
]
STAFF = [
    # username, role, first name, last name
    ("coordinatrice", "coordinator", "Claire", "Morel"),
    ("charge.projet", "project_officer", "Julien", "Perrin"),
    ("assistante", "assistant", "Nadia", "Benali"),
    ("copil", "steering_viewer", "Hélène", "Fabre"),
]


def dataset_exists() -> bool:
    from django.db import connection

    from plie.accounts.models import User

    if User._meta.db_table not in connection.introspection.table_names():
        return False
    return User.objects.filter(username="coordinatrice").exists()


def prepare_schema() -> None:
    """Migrations, then the Dijon territory (communes, QPV, protocols)."""
    from django.core.management import call_command

    from plie.programme.loading import load_package, resolve_package

    call_command("migrate", verbosity=0, interactive=False)
    load_package(resolve_package("dijon-metropole"))


def _accounts(programme, people: int, faker) -> tuple[list[int], list[int], int]:
    """Organisations and accounts; returns (référent pks, prescriber pks, case lead pk)."""
    from plie.accounts.models import Organisation, User
    from plie.territory.models import PrescriberType

    types = {t.code: t for t in PrescriberType.objects.all()}
    coordination = Organisation.objects.create(
        programme=programme, name=COORDINATION, is_coordination=True
    )
    prescribers = [
        Organisation.objects.create(
            programme=programme, name=name, is_prescriber=True, prescriber_type=types[code]
        ).pk
        for name, code in PRESCRIBERS
    ]
    employers = [
        Organisation.objects.create(
            programme=programme,
            name=name,
            employs_referents=True,
            is_prescriber=True,
            prescriber_type=types["association"],
        )
        for name in REFERENT_EMPLOYERS
    ]
    staff = User.objects.bulk_create(
        User(
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            organisation=coordination if role != "steering_viewer" else None,
            password="!bench",  # unusable: the benchmark logs in with force_login
        )
        for username, role, first, last in STAFF
    )
    count = max(13, people // PEOPLE_PER_REFERENT)
    referents = User.objects.bulk_create(
        User(
            username=f"referent{number}",
            role="referent",
            first_name=faker.first_name(),
            last_name=faker.last_name(),
            organisation=employers[number % len(employers)],
            password="!bench",
        )
        for number in range(1, count + 1)
    )
    prescribers += [employer.pk for employer in employers]  # they refer people too
    return [user.pk for user in referents], prescribers, staff[1].pk


def _meetings(programme, coordinator, start: datetime.date, today: datetime.date):
    """A committee every Thursday, from a year before the first entry to four weeks ahead."""
    from plie.committee.enums import MeetingStatus
    from plie.committee.models import CommitteeMeeting

    day = start - datetime.timedelta(days=365)
    day += datetime.timedelta(days=(3 - day.weekday()) % 7)
    rows = []
    while day <= today + datetime.timedelta(days=28):
        rows.append(
            CommitteeMeeting(
                programme=programme,
                held_on=day,
                status=MeetingStatus.HELD if day < today else MeetingStatus.PLANNED,
                chaired_by_id=coordinator,
            )
        )
        day += datetime.timedelta(days=7)
    return [(meeting.pk, meeting.held_on) for meeting in CommitteeMeeting.objects.bulk_create(rows)]


def _reference(people: int, seed: int, today: datetime.date):
    """Accounts, meetings and the nomenclatures' keys, as population.py needs them."""
    from faker import Faker

    from plie.accounts.models import User
    from plie.participants.enums import Sex
    from plie.pathways.models import StepType
    from plie.programme.models import Protocol
    from plie.territory.models import Commune, EducationLevel, Programme, Qpv

    from population import YEARS, Reference

    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    programme = Programme.current()
    referents, prescribers, case_lead = _accounts(programme, people, faker)
    coordinator = User.objects.get(username="coordinatrice").pk
    meetings = _meetings(programme, coordinator, today.replace(year=today.year - YEARS), today)
    conditions = {
        rule["code"]: rule["label"]
        for protocol in Protocol.objects.filter(programme=programme)
        for rule in protocol.exit_rules
    }
    return Reference(
        programme_id=programme.pk,
        communes={c.insee_code: c for c in Commune.objects.filter(programme=programme)},
        qpvs=list(Qpv.objects.select_related("commune").order_by("code")),
        levels=dict(EducationLevel.objects.values_list("code", "pk")),
        step_types=dict(StepType.objects.values_list("code", "pk")),
        conditions=conditions,
        prescribers=prescribers,
        referents=referents,
        case_lead=case_lead,
        meetings=meetings,
        first_names={
            Sex.FEMALE: sorted({faker.first_name_female() for _ in range(600)}),
            Sex.MALE: sorted({faker.first_name_male() for _ in range(600)}),
        },
        last_names=sorted({faker.last_name() for _ in range(4000)}),
        streets=sorted({faker.street_address() for _ in range(1000)}),
    )


def _after_load(engine: str) -> None:
    """PostgreSQL: sequences moved past the ids written, statistics as autovacuum would."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if engine != "postgresql":
        return  # Django never runs ANALYZE on SQLite: the benchmark keeps it that way
    with connection.cursor() as cursor:
        models = [m for m in apps.get_models() if m._meta.app_label in ("participants", "pathways")]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def fill(
    people: int, *, seed: int, today: datetime.date, timings: dict[str, float]
) -> tuple[dict[str, int], int]:
    """The accounts, meetings and `people` people with all they have, written into a migrated
    database that holds the territory and nothing else; returns the row counts by table and
    the number of référents.

    `timings` receives the time spent drawing and inserting. The test suite calls this on
    a few hundred people to check that the application accepts what the bench measures.
    """
    from django.db import transaction

    from population import Population

    reference = _reference(people, seed, today)
    population = Population(reference, seed=seed, today=today)
    counts: dict[str, int] = {}
    drawing = inserting = 0.0
    done = 0
    while done < people:
        size = min(PEOPLE_PER_TRANSACTION, people - done)
        mark = time.perf_counter()
        batch = population.people(size)
        drawing += time.perf_counter() - mark
        mark = time.perf_counter()
        with transaction.atomic():
            for model, rows in batch.tables():
                model.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)
                counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(rows)
        inserting += time.perf_counter() - mark
        done += size
        print(f"  {done} personnes", end="\r", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    timings["drawing_s"] = drawing
    timings["inserting_s"] = inserting
    return counts, len(reference.referents)


def generate(database_url: str, *, people: int, seed: int, today: datetime.date) -> dict:
    """Fill an empty database; returns the row counts and the time taken, step by step."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    prepare_schema()
    timings["schema_and_territory_s"] = time.perf_counter() - started
    counts, referents = fill(people, seed=seed, today=today, timings=timings)
    mark = time.perf_counter()
    _after_load(engine_of(database_url))
    timings["after_load_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started
    return {
        "engine": engine_of(database_url),
        "people": people,
        "seed": seed,
        "reference_day": today.isoformat(),
        "referents": referents,
        "rows": counts,
        "timings": {key: round(value, 1) for key, value in timings.items()},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=sorted(DATABASES), required=True)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--reset", action="store_true", help="drop the database first")
    parser.add_argument(
        "--if-absent", action="store_true", help="do nothing if the dataset is already there"
    )
    parser.add_argument("--url", help="another database (a small trial), instead of the bench's")
    args = parser.parse_args(argv)
    url = args.url or DATABASES[args.database]
    if args.reset or not database_exists(url):  # a new machine has no bench database yet
        recreate_database(url)
    start_django(url)
    if dataset_exists():
        if args.if_absent:
            # The dataset stays; migrations merged since it was built are applied to it.
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
            return
        sys.exit("La base contient déjà un jeu de données : relancez avec --reset pour le refaire.")
    result = generate(url, people=args.people, seed=args.seed, today=REFERENCE_DAY)
    if not args.url:  # a trial elsewhere leaves the bench's record alone
        path = OUTPUT_DIR / f"generation-{args.database}.json"
        path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
