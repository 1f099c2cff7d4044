"""The demo's pathways after entry: steps, contacts, exits and their six-month follow-ups.

About half of the exits that are not neutral are positive (seed 000: 51 % in 2020); each
positive exit is built from steps that really meet one of the protocol's conditions, and
the condition recorded is the one the rule engine finds on those steps. Some people in
the active caseload have no step, or have not been seen for a while, or already meet a
condition: the worklists have something to show.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from plie.core.dates import age_on
from plie.core.months import Duration, add_months, total_length
from plie.participants.enums import ExitReason
from plie.pathways.enums import ContactMode, FollowUpSituation, StepOutcome
from plie.pathways.models import Contact, FollowUp, Step
from plie.pathways.positive_exit import ExitFacts, evaluate
from plie.pathways.selectors import step_facts

SHARE_POSITIVE = 0.51
OTHER_EXITS = {
    ExitReason.ABANDONED: 30,
    ExitReason.MOVED: 14,
    ExitReason.HEALTH: 15,
    ExitReason.OTHER_SCHEME: 15,
    ExitReason.END_OF_ELIGIBILITY: 10,
    ExitReason.MAXIMUM_DURATION: 10,
    ExitReason.RETIREMENT: 4,
    ExitReason.DEATH: 2,
}
# Steps along the way (type code, weight, usual length in days, weekly hours or None).
ORDINARY_STEPS = [
    ("plie-action", 20, 60, None),
    ("assessment", 8, 30, None),
    ("training-basic-skills", 8, 90, None),
    ("training-prequalifying", 10, 120, None),
    ("support-french", 5, 120, None),
    ("support-mobility", 5, 60, None),
    ("support-housing", 3, 90, None),
    ("job-search", 8, 60, None),
    ("pmsmp", 8, 20, Decimal(35)),
    ("aci", 10, 240, Decimal(26)),
    ("ai", 4, 60, Decimal(15)),
    ("etti", 4, 90, Decimal(35)),
    ("cdd", 8, 90, Decimal(35)),
    ("interim", 8, 30, Decimal(35)),
]
EMPLOYERS = [
    "Boulangerie Martin",
    "Transports Bourgogne Express",
    "Clinique du Parc",
    "Propreté Dijonnaise",
    "Supermarché des Grésilles",
    "Logistique Côte-d'Or",
    "Ville de Chenôve",
    "EHPAD Les Tilleuls",
    "Restaurant Le Zinc",
    "BTP Services 21",
]
TRAINING_CENTRES = ["AFPA Dijon", "GRETA 21", "Centre de formation Les Savoirs", "CFA de Dijon"]


def working_day(
    day: datetime.date,
    *,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
) -> datetime.date:
    """The day itself from Monday to Friday. A Saturday or a Sunday moves to the Monday
    after, or to the Friday before when that Monday would come after `latest`; it stays
    when neither fits between `earliest` and `latest`."""
    if day.weekday() < 5:
        return day
    monday = day + datetime.timedelta(days=7 - day.weekday())
    if latest is None or monday <= latest:
        return monday
    friday = day - datetime.timedelta(days=day.weekday() - 4)
    return friday if earliest is None or friday >= earliest else day


class FollowPlanner:
    """Draws steps and contacts for one pathway, given its dates and the protocol's rules."""

    def __init__(self, rnd: random.Random, today: datetime.date, step_types: dict, rules_on):
        self.rnd = rnd
        self.today = today
        self.step_types = step_types
        self.rules_on = rules_on  # date -> list of exit rules

    # Steps -------------------------------------------------------------------------------

    def _step(self, code, start, end, hours=None, employer="", planned_end=None) -> Step:
        category_is_training = code.startswith("training") or code == "clea"
        organisation = employer or (
            self.rnd.choice(TRAINING_CENTRES)
            if category_is_training
            else self.rnd.choice(EMPLOYERS)
            if hours
            else "PLIE de Dijon Métropole"
        )
        if end is not None and end < self.today:
            outcome = StepOutcome.COMPLETED if self.rnd.random() < 0.8 else StepOutcome.ENDED_EARLY
        else:
            outcome = StepOutcome.IN_PROGRESS
            end = None
        return Step(
            step_type=self.step_types[code],
            organisation_name=organisation,
            start_date=start,
            planned_end_date=planned_end or (end if end else None),
            end_date=end,
            weekly_hours=hours,
            outcome=outcome,
        )

    def ordinary_steps(self, entry: datetime.date, until: datetime.date) -> list[Step]:
        """A sequence of steps with gaps between them, from entry to `until`."""
        steps = []
        day = entry + datetime.timedelta(days=self.rnd.randint(7, 60))
        codes = [row[0] for row in ORDINARY_STEPS]
        weights = [row[1] for row in ORDINARY_STEPS]
        rows = {row[0]: row for row in ORDINARY_STEPS}
        while day < until and len(steps) < 6:
            day = working_day(day, latest=min(until - datetime.timedelta(days=1), self.today))
            code = self.rnd.choices(codes, weights=weights)[0]
            _, _, length, hours = rows[code]
            end = day + datetime.timedelta(days=max(5, round(self.rnd.gauss(length, length / 3))))
            planned = end
            if end >= until:  # stops the day before what comes next (or goes on today)
                end = None if until >= self.today else until - datetime.timedelta(days=1)
                if end is not None and end < day:
                    break
            steps.append(self._step(code, day, end, hours, planned_end=planned))
            if end is None:
                break
            day = end + datetime.timedelta(days=self.rnd.randint(7, 50))
        return steps

    def positive_steps(self, entry: datetime.date, exit_on: datetime.date, age: int) -> list[Step]:
        """Steps that meet one positive-exit condition on `exit_on`."""
        room = (exit_on - entry).days
        choice = self.rnd.choices(
            ["cdi", "interim", "cdd", "training", "pec", "business", "aci55"],
            weights=[30, 15, 20, 20, 8, 4, 3 if age >= 55 else 0],
        )[0]
        if choice == "training" or room < 200:
            start = exit_on - datetime.timedelta(days=self.rnd.randint(0, min(room, 60)))
            start = working_day(start, earliest=entry, latest=exit_on)
            return [
                self._step(
                    "training-qualifying",
                    start,
                    None,
                    planned_end=start + datetime.timedelta(days=300),
                )
            ]
        if choice in ("cdi", "business", "aci55", "pec"):
            code = {"cdi": "cdi", "business": "business-creation", "aci55": "aci", "pec": "pec"}[
                choice
            ]
            months = 6 if choice != "pec" else 1
            start = add_months(exit_on, -months) - datetime.timedelta(days=self.rnd.randint(0, 40))
            # Earlier rather than later: the contract has lasted its months on the exit day.
            start = working_day(max(start, entry), earliest=entry, latest=max(start, entry))
            hours = {"cdi": Decimal(35), "aci55": Decimal(26), "pec": Decimal(26)}.get(choice)
            planned = add_months(start, 12) if choice == "pec" else None
            return [self._step(code, start, None, hours, planned_end=planned)]
        # Cumulated intérim missions or CDD over the last twelve months, a few days more than
        # six months as the rule counts them (months and days, 30 days to a month).
        code = "interim" if choice == "interim" else "cdd"
        steps, periods, day = [], [], max(entry, add_months(exit_on, -11))
        while total_length(periods) < Duration(6, 10) and day < exit_on:
            day = working_day(day, latest=exit_on)
            length = self.rnd.randint(20, 75) if code == "interim" else self.rnd.randint(60, 120)
            end = min(day + datetime.timedelta(days=length - 1), exit_on)
            steps.append(self._step(code, day, end, Decimal(35)))
            periods.append((day, end))
            day = end + datetime.timedelta(days=self.rnd.randint(1, 10))
        return steps

    def evaluate(self, steps: list[Step], birth_date, on: datetime.date):
        facts = ExitFacts(age=age_on(birth_date, on), steps=step_facts(steps))
        return evaluate(self.rules_on(on), facts, on)

    def other_exit_reason(self) -> str:
        keys = list(OTHER_EXITS)
        return self.rnd.choices(keys, weights=[OTHER_EXITS[k] for k in keys])[0]

    # Contacts and follow-ups ---------------------------------------------------------------

    def contacts(
        self, entry: datetime.date, until: datetime.date, by, quiet: bool
    ) -> list[Contact]:
        """Roughly monthly contacts; a `quiet` pathway has had none for two to four months."""
        contacts = []
        day = entry + datetime.timedelta(days=self.rnd.randint(3, 20))
        stop = until - datetime.timedelta(days=self.rnd.randint(60, 120)) if quiet else until
        modes = (
            [ContactMode.INDIVIDUAL] * 6
            + [ContactMode.PHONE] * 3
            + [
                ContactMode.MESSAGE,
                ContactMode.COLLECTIVE,
                ContactMode.HOME_VISIT,
            ]
        )
        while day <= stop and day <= self.today:
            mode = self.rnd.choice(modes)
            contacts.append(
                Contact(
                    contacted_on=working_day(day, earliest=entry, latest=self.today),
                    mode=mode,
                    duration_minutes={ContactMode.MESSAGE: 5, ContactMode.PHONE: 15}.get(
                        mode, self.rnd.choice([30, 45, 60])
                    ),
                    summary="Point sur les démarches et les prochaines étapes.",
                    by=by,
                )
            )
            day += datetime.timedelta(days=self.rnd.randint(18, 45))
        if contacts and not quiet and self.rnd.random() < 0.5:
            last = contacts[-1].contacted_on + datetime.timedelta(days=self.rnd.randint(14, 30))
            last = working_day(last)
            if last > self.today:
                contacts[-1].next_appointment = timezone.make_aware(
                    datetime.datetime.combine(last, datetime.time(10, 0))
                )
        return contacts

    def follow_up(self, exit_on: datetime.date, by) -> FollowUp:
        due = add_months(exit_on, 6)
        follow_up = FollowUp(due_on=due)
        if due + datetime.timedelta(days=15) < self.today and self.rnd.random() < 0.8:
            follow_up.done_on = due + datetime.timedelta(days=self.rnd.randint(0, 14))
            follow_up.situation = self.rnd.choices(
                list(FollowUpSituation),
                weights=[55, 15, 5, 15, 10],
            )[0]
            follow_up.by = by
        return follow_up
