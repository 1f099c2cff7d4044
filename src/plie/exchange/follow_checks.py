"""The checks of the rows that follow a pathway once entered: exits, steps and contacts.

A mixin of `checking.Checker` (the driving, `find` and `_resolve` live there), split off to
keep each module short; see checking.py for how rows are read and problems kept.
"""

from __future__ import annotations

import datetime

from plie.core import formatting
from plie.participants.enums import ExitReason, PathwayStatus
from plie.pathways.enums import JOB_CATEGORIES

from . import rules
from .formats import KINDS_BY_NAME
from .identifiers import ContactFacts, PathwayFacts, StepFacts
from .parsing import model_problems


class FollowChecks:
    # Exits -----------------------------------------------------------------------------

    def _check_sorties(self, line, key, values, problems):
        pathway = self._resolve(values, "parcours", "parcours", problems)
        problems.extend(model_problems(KINDS_BY_NAME["sorties"], values))
        exit_on = values.get("date_sortie")
        reason = values.get("motif")
        condition, label = values.get("condition", ""), values.get("libelle_condition", "")
        rules_in_force = self._exit_rules_on(exit_on) if exit_on else {}
        problems.extend(rules.exit_problems(values, pathway, rules_in_force, self.today))
        if reason == ExitReason.POSITIVE and condition and not label:
            label = rules_in_force.get(condition, "")
        if pathway is None or key is None or problems:
            return None
        pathway.exit_date = exit_on
        pathway.status = PathwayStatus.EXITED
        pathway.exit_line = line
        self.condition_labels[key] = label
        return pathway

    def _exit_rules_on(self, day: datetime.date) -> dict[str, str]:
        for valid_from, valid_until, exit_rules in self.protocols:
            if valid_from <= day and (valid_until is None or valid_until >= day):
                return {rule.get("code"): rule.get("label", "") for rule in exit_rules or []}
        return {}

    def _after_sorties(self, table) -> None:
        pathways = self.source.tables.get("parcours")
        for facts in self.exited_rows:
            # A pathway whose exit row has problems of its own is not reported twice.
            if facts.exit_date is None and facts.id not in self.lines["sorties"]:
                self._report(
                    pathways,
                    KINDS_BY_NAME["parcours"],
                    facts.line,
                    "etat : ce parcours est « Sorti » mais sorties n'a pas sa ligne ; ajoutez "
                    "sa sortie (date, motif) ou corrigez l'état",
                )
        for facts in self.reopened_rows:
            if facts.id not in self.lines["sorties"]:
                self._report(
                    pathways, KINDS_BY_NAME["parcours"], facts.line, rules.reopened(facts.exit_date)
                )

    # Steps -----------------------------------------------------------------------------

    def _check_etapes(self, line, key, values, problems):
        kind = KINDS_BY_NAME["etapes"]
        if key in self.index.withdrawn_steps:
            problems.append(rules.withdrawn("etapes", key, self.index.withdrawn_steps[key]))
            return None
        pathway = self._resolve(values, "parcours", "parcours", problems)
        existing = self.index.steps.get(key) if key else None
        self._same_parent(existing, pathway, "pathway", kind, "parcours", problems)
        problems.extend(model_problems(kind, values))
        step_type = values.get("type")
        category = self.lookups.step_categories.get(
            step_type, existing.category if existing else ""
        )
        start = values.get("date_debut") or (existing.start if existing else None)
        end = (
            values.get("fin_reelle")
            if "fin_reelle" in values
            else (existing.end if existing else None)
        )
        hours = (
            values.get("heures_semaine")
            if "heures_semaine" in values
            else (existing.hours if existing else None)
        )
        problems.extend(
            rules.step_problems(
                values,
                start=start,
                end=end,
                hours=hours,
                is_job=category in JOB_CATEGORIES,
                pathway=pathway,
                birth_date=self._birth_date(pathway) if pathway is not None else None,
                today=self.today,
                failed=self.failed,
                creating=existing is None,
            )
        )
        if key is None or pathway is None:
            return None
        facts = StepFacts(
            key, existing.pk if existing else None, pathway.id, start, end, hours, category, line
        )
        if category in JOB_CATEGORIES and hours is not None and start is not None and not problems:
            self.job_steps[pathway.id].append(facts)
        return facts

    def _birth_date(self, pathway: PathwayFacts):
        participant = self.find("participants", pathway.participant)
        return participant.birth_date if participant else None

    def _after_etapes(self, table) -> None:
        for pathway_key, steps in self.job_steps.items():
            imported = {step.id for step in steps}
            others = [
                step
                for step in self.index.steps_by_pathway.get(pathway_key, [])
                if step.id not in imported
                and step.category in JOB_CATEGORIES
                and step.hours is not None
            ]
            for step, total in rules.over_working_time(steps, others):
                self._report(
                    table,
                    KINDS_BY_NAME["etapes"],
                    step.line,
                    "heures_semaine : avec les emplois qui se chevauchent sur ces dates, cela "
                    f"fait {formatting.hours(total)} par semaine, au-delà des 48 h légales : "
                    "vérifiez les dates ou les horaires",
                )
        self._steps_after_exits()

    def _steps_after_exits(self) -> None:
        """Steps already recorded must not start after an exit this import adds."""
        exits = self.source.tables.get("sorties")
        if exits is None:
            return
        for pathway in self.facts["sorties"].values():
            for step in self.index.steps_by_pathway.get(pathway.id, []):
                if step.id in self.lines["etapes"] or step.start is None:
                    continue
                if step.start > pathway.exit_date:
                    self._report(
                        exits,
                        KINDS_BY_NAME["sorties"],
                        pathway.exit_line,
                        f"date_sortie : l'étape « {step.id} » de ce parcours commence le "
                        f"{formatting.day(step.start)}, après cette sortie du "
                        f"{formatting.day(pathway.exit_date)} ; corrigez l'une des deux dates",
                    )

    # Contacts --------------------------------------------------------------------------

    def _check_contacts(self, line, key, values, problems):
        kind = KINDS_BY_NAME["contacts"]
        if key in self.index.withdrawn_contacts:
            problems.append(rules.withdrawn("contacts", key, self.index.withdrawn_contacts[key]))
            return None
        pathway = self._resolve(values, "parcours", "parcours", problems)
        existing = self.index.contacts.get(key) if key else None
        self._same_parent(existing, pathway, "pathway", kind, "parcours", problems)
        problems.extend(model_problems(kind, values))
        referral = None
        if pathway is not None and pathway.referral:
            referral = self.find("orientations", pathway.referral)
        problems.extend(rules.contact_problems(values, referral))
        if key is None or pathway is None:
            return None
        return ContactFacts(key, existing.pk if existing else None, pathway.id, line)

    def _after_contacts(self, table) -> None:
        pass
