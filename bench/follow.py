"""Draws what follows an entry: the steps of a pathway (ordinary steps with gaps between
them, then those that meet a positive-exit condition when the pathway ends well), the
référent's contacts, and the six-month follow-ups of exits into employment.

The gaps are tuned so that about 40 % of the active caseload has no running step on the
reference day, as in the 2019 cohort study (docs/indicators.md, « Part sans étape »).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from plie.core.months import add_months

# The same steps, employers and training centres as the demo PLIE.
from plie.demo.follow import EMPLOYERS, ORDINARY_STEPS, TRAINING_CENTRES
from plie.pathways.enums import ContactMode, StepOutcome
from plie.pathways.models import Contact, FollowUp, Step

SHARE_NO_STEP_AT_ALL = 0.12
SHARE_QUIET = 0.2  # no contact for the last two to four months
# Positive-exit conditions of the Dijon protocols: code, weight, final step type, hours.
CONDITIONS = [
    ("cdi-6-months", 30, "cdi", Decimal(35)),
    ("interim-6-in-12", 15, "interim", Decimal(35)),
    ("cdd-6-in-12", 20, "cdd", Decimal(35)),
    ("qualifying-training", 20, "training-qualifying", None),
    ("subsidised-over-6-months", 8, "pec", Decimal(26)),
    ("business-6-months", 4, "business-creation", None),
]
FOLLOWED_UP = {"cdi-6-months", "interim-6-in-12", "cdd-6-in-12", "subsidised-over-6-months"}
CONTACT_MODES = [ContactMode.INDIVIDUAL] * 6 + [ContactMode.PHONE] * 3 + [ContactMode.MESSAGE]


class Follow:
    """Steps, contacts and follow-ups, pathway after pathway, drawn from the population's
    random generator (so that the draws keep their order) with its primary key counters."""

    def __init__(
        self,
        rnd: random.Random,
        step_types: dict[str, int],
        today: datetime.date,
        next_id: Callable,
    ):
        self.rnd = rnd
        self.step_types = step_types  # code -> pk
        self.today = today
        self.next_id = next_id  # model -> the next primary key of its table
        self._ordinary = (
            [row[0] for row in ORDINARY_STEPS],
            [row[1] for row in ORDINARY_STEPS],
            {row[0]: row for row in ORDINARY_STEPS},
        )

    def _step(self, batch, pathway, code, start, end, hours=None, planned_end=None) -> None:
        if code.startswith("training"):
            organisation = self.rnd.choice(TRAINING_CENTRES)
        elif hours:
            organisation = self.rnd.choice(EMPLOYERS)
        else:
            organisation = "PLIE de Dijon Métropole"
        if end is None:
            outcome = StepOutcome.IN_PROGRESS
        else:
            outcome = StepOutcome.COMPLETED if self.rnd.random() < 0.8 else StepOutcome.ENDED_EARLY
        batch.steps.append(
            Step(
                id=self.next_id(Step),
                pathway_id=pathway.pk,
                step_type_id=self.step_types[code],
                organisation_name=organisation,
                start_date=start,
                planned_end_date=planned_end or end,
                end_date=end,
                weekly_hours=hours,
                outcome=outcome,
            )
        )

    def steps(self, batch, pathway, entry, exit_on, condition) -> None:
        """Ordinary steps with gaps between them, then the steps that meet `condition`."""
        rnd = self.rnd
        until = exit_on or self.today
        final_start = None
        if condition is not None:
            code = condition[2]
            if code in ("interim", "cdd"):
                # The missions fill the last eleven months: the ordinary steps stop before,
                # or their jobs would overlap the missions' (70 h a week).
                final_start = max(entry, add_months(until, -11))
            else:
                months = 1 if code == "training-qualifying" else 6
                final_start = max(
                    entry, add_months(until, -months) - datetime.timedelta(rnd.randint(0, 40))
                )
        elif rnd.random() < SHARE_NO_STEP_AT_ALL:
            return
        codes, weights, rows = self._ordinary
        stop = final_start or until
        day = entry + datetime.timedelta(days=rnd.randint(7, 75))
        count = 0
        while day < stop and count < 8:
            code = rnd.choices(codes, weights=weights)[0]
            _, _, length, hours = rows[code]
            planned = day + datetime.timedelta(days=max(5, round(rnd.gauss(length, length / 3))))
            end = planned
            if end >= stop:
                if condition is None and exit_on is None:
                    end = None  # still running today
                else:
                    end = stop - datetime.timedelta(days=1)
                    if end < day:
                        break
            self._step(batch, pathway, code, day, end, hours, planned_end=planned)
            count += 1
            if end is None:
                return
            day = end + datetime.timedelta(days=rnd.randint(5, 60))
        if condition is None:
            return
        code, hours = condition[2], condition[3]
        if code in ("interim", "cdd"):
            self._missions(batch, pathway, code, final_start, until)
        else:
            planned = (
                add_months(final_start, 12) if code in ("pec", "training-qualifying") else None
            )
            self._step(batch, pathway, code, final_start, None, hours, planned_end=planned)

    def _missions(self, batch, pathway, code, day, until) -> None:
        """Intérim missions or CDD adding up to more than six months before `until`."""
        total = 0
        while total < 190 and day < until:
            length = self.rnd.randint(20, 75) if code == "interim" else self.rnd.randint(60, 120)
            end = min(day + datetime.timedelta(days=length - 1), until)
            self._step(batch, pathway, code, day, end, Decimal(35))
            total += (end - day).days + 1
            day = end + datetime.timedelta(days=self.rnd.randint(1, 10))

    def contacts(self, batch, pathway, entry, until) -> None:
        rnd = self.rnd
        day = entry + datetime.timedelta(days=rnd.randint(3, 20))
        stop = until
        if rnd.random() < SHARE_QUIET:
            stop = until - datetime.timedelta(days=rnd.randint(60, 120))
        while day <= stop:
            mode = rnd.choice(CONTACT_MODES)
            batch.contacts.append(
                Contact(
                    id=self.next_id(Contact),
                    pathway_id=pathway.pk,
                    contacted_on=day,
                    mode=mode,
                    duration_minutes={ContactMode.MESSAGE: 5, ContactMode.PHONE: 15}.get(mode, 45),
                    summary="Point sur les démarches et les prochaines étapes.",
                    by_id=pathway.referent_id,
                )
            )
            day += datetime.timedelta(days=rnd.randint(20, 95))

    def follow_up(self, batch, pathway, exit_on) -> None:
        due = add_months(exit_on, 6)
        done = due + datetime.timedelta(days=15) < self.today and self.rnd.random() < 0.8
        batch.follow_ups.append(
            FollowUp(
                id=self.next_id(FollowUp),
                pathway_id=pathway.pk,
                due_on=due,
                done_on=due + datetime.timedelta(days=self.rnd.randint(0, 14)) if done else None,
                situation="same_job" if done else "",
                by_id=pathway.referent_id if done else None,
            )
        )
