"""Positive exits: a protocol's exit conditions, kept as data, checked on a pathway's steps.

Source: protocole d'accord du PLIE de Dijon 2016-2020, § I.C.2 (seed 001), shipped as data in
territory/data/dijon-metropole.json.
A rule set is a JSON list; each rule names its ``kind`` (``continuous``, ``cumulative``,
``contract_length``, ``started``), the step types it counts and its parameters, and gets
a French verdict with its figures, or what is missing. Dates and durations are those of
`core.months`, the same for every rule and figure: a condition "at date D" holds at the end
of D; a step's dates are its first and last days, both counted, and it goes on at D from
its first day to its last; an unbroken period counts calendar months, then days (from 10
January, 6 months are reached at the end of 9 July; 1 January to 29 June is 5 months 29
days); several periods add their months and their days, 30 days making a month; a
contract of "more than 6 months" lasts at least 6 months and one day. The sliding window of
``window_months`` is the longest period ending on the date of the evaluation that lasts at
most that many months. Only the part of a step up to that date counts; steps that start
later are ignored. docs/positive-exit-rules.md describes the rules for the people who edit
a protocol.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal
from typing import Any

from plie.core import formatting
from plie.core.months import (
    DAYS_PER_ADDED_MONTH,
    ONE_DAY,
    Duration,
    add_months,
    covers,
    length_until,
    period_length,
    reached_on,
    total_length,
    window_start,
)
from plie.core.plurals import noun_for


class RuleError(ValueError):
    """A protocol's exit rule is not well formed; the message names the rule, in French."""


@dataclasses.dataclass(frozen=True)
class StepFact:
    """One step of the pathway as the rules see it."""

    type_code: str
    start: datetime.date
    end: datetime.date | None  # actual end; None while it goes on
    planned_end: datetime.date | None = None
    weekly_hours: Decimal | None = None
    part_time_agreed: bool = False  # agreed to work under the rule's weekly hours
    employer: str = ""  # to know "in the same company"


@dataclasses.dataclass(frozen=True)
class ExitFacts:
    age: int | None  # at the date of the evaluation
    steps: tuple[StepFact, ...]


@dataclasses.dataclass(frozen=True)
class ConditionResult:
    code: str
    label: str
    met: bool
    detail: str  # the figures
    missing: str  # "" when met
    progress: float  # 0..1, to rank the closest condition
    needs_committee_case: bool = False


@dataclasses.dataclass(frozen=True)
class ExitEvaluation:
    met: tuple[ConditionResult, ...]  # in rule order
    closest: ConditionResult | None  # best unmet condition, None if no step counts at all
    results: tuple[ConditionResult, ...]  # in rule order

    @property
    def summary(self) -> str:
        if len(self.met) == 1:
            (result,) = self.met
            return f"Condition de sortie positive remplie : {_titled(result)} — {result.detail}."
        if self.met:
            return (
                f"{len(self.met)} conditions de sortie positive remplies : "
                + " ; ".join(_titled(result) for result in self.met)
                + "."
            )
        if self.closest is not None:
            return (
                "Aucune condition de sortie positive n'est remplie ; la plus proche : "
                f"{self.closest.label} — {self.closest.missing}."
            )
        if not self.results:
            return "Le protocole ne définit aucune condition de sortie positive."
        return "Aucune condition de sortie positive n'est remplie : aucune étape ne s'en approche."


def _titled(result: ConditionResult) -> str:
    if result.needs_committee_case:
        return f"{result.label}, sous réserve de l'examen au cas par cas de la commission"
    return result.label


# Durations and French figures -----------------------------------------------------------


def _figure(length: Duration) -> str:
    """5 mois 29 jours, 6 mois, 1 jour."""
    parts = [f"{length.months} mois"] if length.months else []
    if length.days or not length.months:
        parts.append(f"{length.days} {noun_for(length.days, 'un jour')}")
    return " ".join(parts)


def _date(day: datetime.date) -> str:
    return formatting.day(day)


def _hours(value: Decimal) -> str:
    return formatting.hours(value)


def _of(noun: str) -> str:
    """The French preposition before what is counted: "d'intérim", "de CDD"."""
    return ("d'" if noun[:1].lower() in "aeiouyéèêàâîôh" else "de ") + noun


# The words of the step-type catalogue, for rules that do not give their own `noun`.
NOUNS = {
    "cdi": "CDI",
    "cdd": "CDD",
    "interim": "intérim",
    "seasonal": "emploi saisonnier",
    "pec": "contrat aidé",
    "alternance": "alternance",
    "aci": "ACI",
    "ei": "EI",
    "etti": "ETTI",
    "ai": "AI",
    "eiti": "EITI",
    "training-qualifying": "formation qualifiante",
    "business-creation": "création d'activité",
}


# Validation ------------------------------------------------------------------------------

KINDS = {
    "continuous": "une étape continue d'au moins « months » mois",
    "cumulative": "« months » mois cumulés sur les « window_months » derniers mois",
    "contract_length": "un contrat de plus de « months » mois",
    "started": "une étape commencée",
}
_COMMON_FIELDS = {"code", "label", "kind", "step_types", "noun", "needs_committee_case"} | {
    "min_weekly_hours",
    "min_age",
}
_KIND_FIELDS = {
    "continuous": {"months", "continuity_types"},
    "cumulative": {"months", "window_months"},
    "contract_length": {"months"},
    "started": set(),
}
_DURATIONS = {"months", "window_months"}  # required wherever the kind takes them


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_codes(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(code, str) and code.strip() for code in value)
    )


def validate_rules(rules: Any, *, known_step_types: Collection[str] | None = None) -> None:
    """Refuse a malformed rule set before it is saved, naming the faulty rule in French.

    `known_step_types`, when given, is the catalogue the step-type codes must come from.
    """
    if not isinstance(rules, list):
        raise RuleError("Les règles de sortie positive doivent former une liste JSON : [ … ].")
    codes: set[str] = set()
    for index, rule in enumerate(rules, start=1):
        where = f"Règle de sortie n° {index}"
        if not isinstance(rule, dict):
            raise RuleError(f"{where} : chaque règle doit être un objet JSON {{ … }}.")
        code = rule.get("code")
        if not isinstance(code, str) or not code.strip() or len(code) > 50:
            raise RuleError(f"{where} : indiquez un « code » de 1 à 50 caractères.")
        where = f"{where} (« {code} »)"
        if code in codes:
            raise RuleError(f"{where} : ce code est déjà pris par une autre règle ; changez-le.")
        codes.add(code)
        _validate_rule(rule, where, known_step_types)


def _validate_rule(
    rule: dict[str, Any], where: str, known_step_types: Collection[str] | None
) -> None:
    label = rule.get("label")
    if not isinstance(label, str) or not label.strip() or len(label) > 200:
        raise RuleError(f"{where} : indiquez un libellé (« label ») de 1 à 200 caractères.")
    kind = rule.get("kind")
    if "kind" not in rule:
        raise RuleError(
            f"{where} : indiquez le type de règle (« kind »), par exemple « cumulative »."
        )
    if kind not in KINDS:
        raise RuleError(
            f"{where} : type de règle « {kind} » inconnu. Types possibles : "
            + ", ".join(f"« {name} » ({meaning})" for name, meaning in KINDS.items())
            + "."
        )
    allowed = _COMMON_FIELDS | _KIND_FIELDS[kind]
    unknown = sorted(str(field) for field in rule if field not in allowed)
    if unknown:
        raise RuleError(
            f"{where} : champ « {unknown[0]} » inconnu pour le type « {kind} ». Champs possibles : "
            + ", ".join(sorted(allowed))
            + "."
        )
    for field in ("step_types", "continuity_types"):
        if field not in rule:
            if field == "step_types":
                raise RuleError(f"{where} : indiquez « step_types », la liste des types d'étape.")
            continue
        if not _is_codes(rule[field]):
            raise RuleError(
                f"{where} : « {field} » attend une liste non vide de codes de types d'étape, "
                'par exemple ["cdd"].'
            )
        if known_step_types is not None:
            strangers = [code for code in rule[field] if code not in known_step_types]
            if strangers:
                raise RuleError(
                    f"{where} : type d'étape « {strangers[0]} » absent du catalogue ; "
                    "corrigez le code ou ajoutez ce type au catalogue."
                )
    for field in sorted(_KIND_FIELDS[kind] & _DURATIONS):
        if field not in rule:
            raise RuleError(
                f"{where} : le type « {kind} » attend « {field} », un nombre entier de mois."
            )
    for field in ("months", "window_months", "min_age"):
        if field in rule and not (_is_int(rule[field]) and rule[field] > 0):
            raise RuleError(
                f"{where} : « {field} » attend un nombre entier positif, sans guillemets."
            )
    if kind == "cumulative" and rule["window_months"] < rule["months"]:
        raise RuleError(f"{where} : « window_months » ne peut pas être plus court que « months ».")
    hours = rule.get("min_weekly_hours")
    if "min_weekly_hours" in rule and not (
        isinstance(hours, int | float) and not isinstance(hours, bool) and 0 < hours <= 48
    ):
        raise RuleError(
            f"{where} : « min_weekly_hours » attend un nombre d'heures par semaine, "
            "par exemple 17.5."
        )
    if "needs_committee_case" in rule and not isinstance(rule["needs_committee_case"], bool):
        raise RuleError(f"{where} : « needs_committee_case » attend true ou false.")
    if "noun" in rule and not (isinstance(rule["noun"], str) and rule["noun"].strip()):
        raise RuleError(f"{where} : « noun » attend un mot, par exemple « intérim ».")


# Evaluation ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Outcome:
    met: bool
    progress: float
    detail: str
    missing: str
    relevant: bool  # a step of the rule's types has started: the rule may be the closest


def _until(step: StepFact, on: datetime.date) -> datetime.date:
    return on if step.end is None or step.end > on else step.end


def _ongoing(step: StepFact, on: datetime.date) -> bool:
    """Going on at `on`: up to its last day included."""
    return covers(step.start, step.end, on)


def _noun(rule: dict[str, Any]) -> str:
    return rule.get("noun") or " ou ".join(NOUNS.get(c, c) for c in rule["step_types"])


def _select(
    rule: dict[str, Any], facts: ExitFacts, on: datetime.date, types: Collection[str]
) -> tuple[list[StepFact], list[str]]:
    """Steps of `types` started by `on`, and why the weekly hours left out some of them."""
    threshold = rule.get("min_weekly_hours")
    minimum = Decimal(str(threshold)) if threshold is not None else Decimal(0)
    kept, left_out = [], []
    for step in facts.steps:
        if step.type_code not in types or step.start > on:
            continue
        if step.end is not None and step.end < step.start:
            continue  # impossible dates count for nothing
        hours = None if step.weekly_hours is None else Decimal(step.weekly_hours)
        if threshold is None or step.part_time_agreed or (hours is not None and hours >= minimum):
            kept.append(step)
        elif step.type_code in rule["step_types"]:  # a continuity step is left out quietly
            what = f"{NOUNS.get(step.type_code, step.type_code)} du {_date(step.start)}"
            left_out.append(
                f"{what} : durée hebdomadaire non renseignée"
                if hours is None
                else f"{what} à {_hours(hours)} par semaine, sous {_hours(minimum)} "
                "sans l'accord du participant"
            )
    return kept, left_out


def _chains(steps: list[StepFact], on: datetime.date) -> list[list[StepFact]]:
    """Steps at the same (named) employer that follow or overlap each other, joined."""
    chains: list[list[StepFact]] = []
    by_employer: dict[str, list[StepFact]] = {}
    for step in steps:
        employer = step.employer.strip().casefold()
        if employer:
            by_employer.setdefault(employer, []).append(step)
        else:
            chains.append([step])
    for group in by_employer.values():
        group.sort(key=lambda step: step.start)
        current, reach = [group[0]], _until(group[0], on)
        for step in group[1:]:
            if step.start <= reach + ONE_DAY:
                current.append(step)
                reach = max(reach, _until(step, on))
            else:
                chains.append(current)
                current, reach = [step], _until(step, on)
        chains.append(current)
    return chains


def _continuous(rule: dict[str, Any], facts: ExitFacts, on: datetime.date) -> _Outcome:
    listed = set(rule["step_types"])
    types = listed | set(rule.get("continuity_types", []))
    steps, left_out = _select(rule, facts, on, types)
    months, noun = rule["months"], _noun(rule)
    candidates = []
    for chain in _chains(steps, on):
        main = [step for step in chain if step.type_code in listed]
        if not main:
            continue
        start = min(step.start for step in chain)
        end = max(_until(step, on) for step in main)
        reached = reached_on(start, months)  # from 10 January, 6 months on 9 July
        progress = min(1.0, (end + ONE_DAY - start).days / (reached + ONE_DAY - start).days)
        ongoing = any(_ongoing(step, on) and _until(step, on) == end for step in main)
        # Met while the job (or the business) goes on: one that has ended no longer says
        # where the person is now; propose the exit at a date when it was going on.
        long_enough = reached <= end
        candidates.append(
            (long_enough and ongoing, progress, start, end, reached, ongoing, len(chain))
        )
    relevant = any(s.type_code in listed and s.start <= on for s in facts.steps)
    if not candidates:
        missing = f"il faut {months} mois {_of(noun)} sans interruption"
        return _Outcome(
            False, 0.0, f"{noun} : aucune étape qui compte", _with(missing, left_out), relevant
        )
    met, progress, start, end, reached, ongoing, count = max(
        candidates, key=lambda c: (c[0], c[3] - c[2])
    )
    detail = f"{noun} : {_figure(period_length(start, end))} " + (
        f"depuis le {_date(start)}" if ongoing else f"du {_date(start)} au {_date(end)}"
    )
    if count > 1:
        detail += f" ({count} étapes successives chez le même employeur)"
    if met:
        return _Outcome(True, 1.0, detail, "", True)
    if reached <= end:
        when = (
            f"au {_date(end)}"
            if reached == end
            else f"à une date entre le {_date(reached)} et le {_date(end)}"
        )
        missing = (
            f"l'étape s'est terminée le {_date(end)} : la condition vaut tant qu'elle dure "
            f"(proposez la sortie {when})"
        )
        return _Outcome(False, 0.99, detail, _with(missing, left_out), True)
    lacking = length_until(end + ONE_DAY, reached + ONE_DAY)
    missing = f"il manque {_figure(lacking)} {_of(noun)}" + (
        f", {months} mois atteints le {_date(reached)} si l'étape se poursuit"
        if ongoing
        else f" ; l'étape s'est terminée le {_date(end)}"
    )
    return _Outcome(False, progress, detail, _with(missing, left_out), True)


def _days_counted(
    steps: list[StepFact], first_day: datetime.date, on: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The periods counted from `first_day` to `on`: each step, from its first day not
    already counted by a step that started before it (or as early and lasts longer), to
    its last day or `on`. A day counts once; two CDD in a row are two periods."""
    periods: list[tuple[datetime.date, datetime.date]] = []
    counted_until = first_day - ONE_DAY
    spans = [(max(step.start, first_day), _until(step, on)) for step in steps]
    for start, until in sorted(spans, key=lambda span: (span[0], -span[1].toordinal())):
        start = max(start, counted_until + ONE_DAY)
        if start <= until:
            periods.append((start, until))
            counted_until = until
    return periods


def _cumulative(rule: dict[str, Any], facts: ExitFacts, on: datetime.date) -> _Outcome:
    steps, left_out = _select(rule, facts, on, set(rule["step_types"]))
    months, window = rule["months"], rule["window_months"]
    periods = _days_counted(steps, window_start(on, window), on)
    total = total_length(periods)
    noun, span = _noun(rule), f"sur les {window} derniers mois"
    detail = f"{noun} : {_figure(total)} {span}"
    if len(periods) > 1:
        detail += f" (en {len(periods)} périodes)"
    relevant = any(s.type_code in rule["step_types"] and s.start <= on for s in facts.steps)
    if total.reaches(months):
        return _Outcome(True, 1.0, detail, "", True)
    if len(periods) == 1:  # one period counts in calendar months: up to `first` + months
        first, last = periods[0]
        lacking = length_until(last + ONE_DAY, add_months(first, months))
    else:  # several add their days, 30 to a month: what another period would have to bring
        lacking = Duration(
            *divmod(
                DAYS_PER_ADDED_MONTH * (months - total.months) - total.days, DAYS_PER_ADDED_MONTH
            )
        )
    missing = f"il manque {_figure(lacking)} {_of(noun)} {span}"
    progress = min(total.in_months / months, 0.999)  # one period of 5 months 30 days: 1
    return _Outcome(False, progress, detail, _with(missing, left_out), relevant)


def _contract_length(rule: dict[str, Any], facts: ExitFacts, on: datetime.date) -> _Outcome:
    steps, left_out = _select(rule, facts, on, set(rule["step_types"]))
    months, noun = rule["months"], _noun(rule)
    contracts, unknown = [], []
    for step in steps:
        # Over by `on`: its real length; still going on: the length agreed at signature.
        over = step.end is not None and step.end <= on
        contract_end = step.end if over else step.planned_end or step.end
        if contract_end is None:
            unknown.append(f"{NOUNS.get(step.type_code, step.type_code)} du {_date(step.start)}")
            continue
        # Both ends count: 1 January to 30 June is 6 months, to 1 July more than 6 months.
        days = max(0, (contract_end + ONE_DAY - step.start).days)
        progress = min(1.0, days / ((add_months(step.start, months) - step.start).days + 1))
        longer = period_length(step.start, contract_end).exceeds(months)
        contracts.append((longer, progress, step.start, contract_end, over))
    left_out += [f"{what} : date de fin prévue non renseignée" for what in unknown]
    relevant = bool(steps or left_out)
    wanted = f"il faut un contrat de plus de {months} mois"
    if not contracts:
        return _Outcome(
            False, 0.0, f"{noun} : aucun contrat qui compte", _with(wanted, left_out), relevant
        )
    met, progress, start, end, over = max(contracts, key=lambda c: c[:2])
    detail = f"{noun} de {_figure(period_length(start, end))}, du {_date(start)} au {_date(end)}"
    detail += "" if over else " (fin prévue)"
    if met:
        return _Outcome(True, 1.0, detail, "", True)
    return _Outcome(False, progress, detail, _with(wanted, left_out), True)


def _started(rule: dict[str, Any], facts: ExitFacts, on: datetime.date) -> _Outcome:
    steps, left_out = _select(rule, facts, on, set(rule["step_types"]))
    noun = _noun(rule)
    if steps:
        latest = max(steps, key=lambda step: step.start)
        return _Outcome(True, 1.0, f"{noun} : début le {_date(latest.start)}", "", True)
    missing = _with(f"aucune étape « {noun} » commencée au {_date(on)}", left_out)
    return _Outcome(False, 0.0, f"{noun} : aucune étape qui compte", missing, bool(left_out))


def _with(missing: str, left_out: list[str]) -> str:
    return missing + (" ; non compté : " + " ; ".join(left_out) if left_out else "")


_EVALUATORS = {
    "continuous": _continuous,
    "cumulative": _cumulative,
    "contract_length": _contract_length,
    "started": _started,
}


def _condition(
    rule: dict[str, Any], facts: ExitFacts, on: datetime.date
) -> tuple[ConditionResult, bool]:
    outcome = _EVALUATORS[rule["kind"]](rule, facts, on)
    min_age = rule.get("min_age")
    if min_age is not None and (facts.age is None or facts.age < min_age):
        age = (
            f"{facts.age} ans"
            if facts.age is not None
            else "âge inconnu : renseignez la date de naissance"
        )
        reserved = f"réservé aux {min_age} ans ou plus ({age})"
        outcome = dataclasses.replace(
            outcome,
            met=False,
            progress=0.0,
            missing=reserved + (f" ; {outcome.missing}" if outcome.missing else ""),
            relevant=False,  # recording steps will not make the person older
        )
    result = ConditionResult(
        code=rule["code"],
        label=rule["label"],
        met=outcome.met,
        detail=outcome.detail,
        missing=outcome.missing,
        progress=outcome.progress,
        needs_committee_case=rule.get("needs_committee_case", False),
    )
    return result, outcome.relevant


class CheckedRules(tuple[dict[str, Any], ...]):
    """A rule set that `validate_rules` accepted, to evaluate on many pathways while
    checking it once: the worklists evaluate thousands of pathways against one protocol."""

    __slots__ = ()

    def __new__(cls, rules: Any) -> CheckedRules:
        if isinstance(rules, CheckedRules):
            return rules
        validate_rules(rules)
        return super().__new__(cls, rules)

    def where(self, keep: Callable[[dict[str, Any]], bool]) -> CheckedRules:
        """The rules `keep` accepts, in order, not checked again: part of a valid set is valid."""
        return tuple.__new__(CheckedRules, (rule for rule in self if keep(rule)))


def evaluate(
    rules: Sequence[dict[str, Any]], facts: ExitFacts, on: datetime.date
) -> ExitEvaluation:
    """Which of the protocol's conditions the steps meet at `on`, or the closest one."""
    evaluated = [_condition(rule, facts, on) for rule in CheckedRules(rules)]
    results = tuple(result for result, _ in evaluated)
    candidates = [result for result, relevant in evaluated if relevant and not result.met]
    closest = max(candidates, key=lambda result: result.progress) if candidates else None
    return ExitEvaluation(
        met=tuple(result for result in results if result.met), closest=closest, results=results
    )


def conditions_met(
    rules: Sequence[dict[str, Any]], facts: ExitFacts, on: datetime.date
) -> tuple[ConditionResult, ...]:
    """The conditions the steps meet at `on`, in rule order: `evaluate(...).met`, for lists
    that show what is met and need no closest condition."""
    results = (_condition(rule, facts, on)[0] for rule in CheckedRules(rules))
    return tuple(result for result in results if result.met)
