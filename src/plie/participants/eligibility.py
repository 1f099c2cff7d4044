"""Entry eligibility: a protocol's entry rule, kept as data, evaluated on a person's facts.

Source: protocole d'accord du PLIE (2016-2020: seed 001 § I.C.1; 2021-2026: seed 000 § I.F).
A rule is a tree of JSON nodes — ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": node}``
and ``{"fact": "code", "value": parameter}`` — each with an optional French ``label``.
Facts are three-valued (yes, no, not known): a rule that depends on an unknown fact gives
"impossible de conclure" and names what is missing, never a guess.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from plie.core.months import Duration
from plie.core.plurals import counted
from plie.participants.enums import EligibilityVerdict, LabourMarketStatus, Nationality, Sex


class RuleError(ValueError):
    """A protocol's rule is not well formed; the message says where, in French."""


@dataclasses.dataclass(frozen=True)
class EligibilityFacts:
    """What is known of a person at the date of the assessment; None means not recorded."""

    commune_name: str | None = None
    resides_in_territory: bool | None = None
    resides_in_qpv: bool | None = None
    right_to_work: bool | None = None
    wishes_to_commit: bool | None = None
    age: int | None = None
    sex: str | None = None
    nationality: str | None = None
    labour_market_status: str | None = None
    # Out of work at the date, as `core.months.period_length`: whole months, then days.
    months_out_of_work: int | None = None
    out_of_work_extra_days: int | None = None  # days beyond those whole months
    education_level: int | None = None
    lacks_basic_skills: bool | None = None
    receives_rsa: bool | None = None
    receives_other_minimum_benefits: bool | None = None
    socio_professional_orientation: bool | None = None
    single_parent: bool | None = None
    homeless_or_housing_exclusion: bool | None = None
    disability: bool | None = None
    long_term_illness: bool | None = None
    followed_by_cap_emploi: bool | None = None
    justice_measure: bool | None = None
    far_from_institutions: bool | None = None
    siae_employee: bool | None = None
    barriers: frozenset[str] | None = None

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        if self.barriers is not None:
            data["barriers"] = sorted(self.barriers)
        return data


@dataclasses.dataclass(frozen=True)
class Finding:
    """One line of the explanation: a criterion, its result and why."""

    depth: int
    label: str
    result: bool | None
    detail: str = ""
    fact: str = ""  # the criterion's code, for leaves; pages hide the sensitive ones
    value: Any = None

    @property
    def symbol(self) -> str:
        return {True: "oui", False: "non", None: "inconnu"}[self.result]

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Assessment:
    verdict: EligibilityVerdict
    findings: list[Finding]
    missing: list[str]

    def explanation(self, on: datetime.date) -> dict[str, Any]:
        """What is kept with the assessment, to show it again as it was."""
        return {
            "summary": self.summary,
            "findings": [finding.as_json() for finding in self.findings],
            "missing": self.missing,
            "on": on.isoformat(),
        }

    @property
    def summary(self) -> str:
        if self.verdict == EligibilityVerdict.ELIGIBLE:
            return "La personne remplit les critères d'entrée du protocole."
        if self.verdict == EligibilityVerdict.NOT_ELIGIBLE:
            return "La personne ne remplit pas les critères d'entrée du protocole."
        return "Impossible de conclure : il manque " + ", ".join(self.missing) + "."


@dataclasses.dataclass(frozen=True)
class FactDefinition:
    label: str  # may contain {value}
    needs: tuple[str, ...]  # the facts it reads, to name what is missing
    missing_label: str
    evaluate: Callable[[EligibilityFacts, Any], tuple[bool | None, str]]
    takes_value: bool = False
    value_kind: str = ""  # "number", "sex" or "code" for the criteria that take a value

    @property
    def value_hint(self) -> str:
        return {
            "number": "un nombre entier positif",
            "sex": "F, M ou X",
            "code": "un code de la nomenclature, entre guillemets",
        }[self.value_kind]

    def accepts(self, value: Any) -> bool:
        if self.value_kind == "number":
            return isinstance(value, int) and not isinstance(value, bool) and value >= 0
        if self.value_kind == "sex":
            return value in Sex.values
        return isinstance(value, str) and bool(value.strip())


def _flag(field: str) -> Callable[[EligibilityFacts, Any], tuple[bool | None, str]]:
    def evaluate(facts: EligibilityFacts, _value: Any) -> tuple[bool | None, str]:
        result = getattr(facts, field)
        return result, "" if result is not None else "non renseigné"

    return evaluate


def _resides(facts: EligibilityFacts, _value: Any) -> tuple[bool | None, str]:
    if facts.resides_in_territory is None:
        return None, "commune non renseignée"
    place = facts.commune_name or "commune inconnue"
    if facts.resides_in_territory:
        return True, place
    return False, f"{place} ne fait pas partie du territoire du PLIE"


def _age_under(facts: EligibilityFacts, value: Any) -> tuple[bool | None, str]:
    if facts.age is None:
        return None, "date de naissance non renseignée"
    return facts.age < int(value), f"{facts.age} ans"


def _age_at_least(facts: EligibilityFacts, value: Any) -> tuple[bool | None, str]:
    if facts.age is None:
        return None, "date de naissance non renseignée"
    return facts.age >= int(value), f"{facts.age} ans"


def _sex_is(facts: EligibilityFacts, value: Any) -> tuple[bool | None, str]:
    if not facts.sex:
        return None, "sexe non renseigné"
    return facts.sex == value, str(Sex(facts.sex).label)


def _education_at_most(facts: EligibilityFacts, value: Any) -> tuple[bool | None, str]:
    if facts.education_level is None:
        return None, "niveau non renseigné"
    return facts.education_level <= int(value), f"niveau {facts.education_level}"


def _duration_out_of_work(facts: EligibilityFacts) -> str:
    days = facts.out_of_work_extra_days or 0
    text = f"{facts.months_out_of_work} mois"
    if days:
        text += f" et {counted(days, 'un jour')}"
    return text + " sans emploi"


def _more_than_months(facts: EligibilityFacts, months: int) -> bool:
    """More than `months`: at least `months` months and one day."""
    assert facts.months_out_of_work is not None
    return Duration(facts.months_out_of_work, facts.out_of_work_extra_days or 0).exceeds(months)


def _out_of_work(facts: EligibilityFacts, value: Any) -> tuple[bool | None, str]:
    if facts.months_out_of_work is None:
        return None, "date de fin du dernier emploi non renseignée"
    return facts.months_out_of_work >= int(value), _duration_out_of_work(facts)


def _out_of_work_more_than(facts: EligibilityFacts, value: Any) -> tuple[bool | None, str]:
    if facts.months_out_of_work is None:
        return None, "date de fin du dernier emploi non renseignée"
    return _more_than_months(facts, int(value)), _duration_out_of_work(facts)


def _long_term_unemployed(facts: EligibilityFacts, _value: Any) -> tuple[bool | None, str]:
    """FSE+ definition: more than 12 months without work, more than 6 under 25."""
    if facts.months_out_of_work is None:
        return None, "date de fin du dernier emploi non renseignée"
    if facts.age is None:
        return None, "date de naissance non renseignée"
    threshold = 6 if facts.age < 25 else 12
    return (
        _more_than_months(facts, threshold),
        f"{_duration_out_of_work(facts)} (seuil : plus de {threshold} mois)",
    )


def _status_in(statuses: set[str]) -> Callable[[EligibilityFacts, Any], tuple[bool | None, str]]:
    def evaluate(facts: EligibilityFacts, _value: Any) -> tuple[bool | None, str]:
        if not facts.labour_market_status:
            return None, "situation non renseignée"
        return (
            facts.labour_market_status in statuses,
            str(LabourMarketStatus(facts.labour_market_status).label),
        )

    return evaluate


def _minimum_benefits(facts: EligibilityFacts, _value: Any) -> tuple[bool | None, str]:
    if facts.receives_rsa:
        return True, "RSA"
    if facts.receives_other_minimum_benefits:
        return True, "autre minimum social"
    if None in (facts.receives_rsa, facts.receives_other_minimum_benefits):
        return None, "non renseigné"
    return False, ""


def _third_country(facts: EligibilityFacts, _value: Any) -> tuple[bool | None, str]:
    if not facts.nationality:
        return None, "nationalité non renseignée"
    return facts.nationality == Nationality.THIRD_COUNTRY, str(Nationality(facts.nationality).label)


def _has_barrier(facts: EligibilityFacts, value: Any) -> tuple[bool | None, str]:
    if facts.barriers is None:
        return None, "freins non renseignés"
    return value in facts.barriers, ""


FACTS: dict[str, FactDefinition] = {
    "resides_in_territory": FactDefinition(
        "Habite une commune du territoire", ("commune",), "la commune de résidence", _resides
    ),
    "right_to_work": FactDefinition(
        "Dispose d'une autorisation de travailler",
        ("right_to_work",),
        "l'autorisation de travailler",
        _flag("right_to_work"),
    ),
    "wishes_to_commit": FactDefinition(
        "Souhaite s'inscrire dans un parcours intégré vers l'emploi",
        ("wishes_to_commit",),
        "le souhait de s'engager dans un parcours",
        _flag("wishes_to_commit"),
    ),
    "job_seeker": FactDefinition(
        "En recherche d'emploi, inscrite ou non (y compris activité réduite subie)",
        ("labour_market_status",),
        "la situation sur le marché du travail",
        _status_in({LabourMarketStatus.UNEMPLOYED, LabourMarketStatus.REDUCED_ACTIVITY}),
    ),
    "inactive": FactDefinition(
        "Personne inactive",
        ("labour_market_status",),
        "la situation sur le marché du travail",
        _status_in({LabourMarketStatus.INACTIVE}),
    ),
    "out_of_work_months_at_least": FactDefinition(
        "Sans activité professionnelle depuis au moins {value} mois",
        ("out_of_work_since",),
        "la date depuis laquelle la personne est sans emploi",
        _out_of_work,
        takes_value=True,
        value_kind="number",
    ),
    "out_of_work_more_than_months": FactDefinition(
        "Sans activité professionnelle depuis plus de {value} mois",
        ("out_of_work_since",),
        "la date depuis laquelle la personne est sans emploi",
        _out_of_work_more_than,
        takes_value=True,
        value_kind="number",
    ),
    "long_term_unemployed": FactDefinition(
        "Demandeur d'emploi de longue durée (plus de 12 mois, 6 mois avant 25 ans)",
        ("out_of_work_since", "birth_date"),
        "la durée sans emploi et l'âge",
        _long_term_unemployed,
    ),
    "education_level_at_most": FactDefinition(
        "Niveau de formation inférieur ou égal au niveau {value}",
        ("education_level",),
        "le niveau de formation",
        _education_at_most,
        takes_value=True,
        value_kind="number",
    ),
    "lacks_basic_skills": FactDefinition(
        "Ne maîtrise pas les compétences de base",
        ("lacks_basic_skills",),
        "la maîtrise des compétences de base",
        _flag("lacks_basic_skills"),
    ),
    "receives_rsa": FactDefinition(
        "Bénéficiaire du RSA", ("receives_rsa",), "le bénéfice du RSA", _flag("receives_rsa")
    ),
    "receives_minimum_benefits": FactDefinition(
        "Bénéficiaire du RSA ou d'un autre minimum social",
        ("receives_rsa", "receives_other_minimum_benefits"),
        "le bénéfice de minima sociaux",
        _minimum_benefits,
    ),
    "socio_professional_orientation": FactDefinition(
        "Relève d'une orientation socioprofessionnelle",
        ("socio_professional_orientation",),
        "l'orientation socioprofessionnelle",
        _flag("socio_professional_orientation"),
    ),
    "single_parent": FactDefinition(
        "Personne seule avec enfants à charge",
        ("single_parent",),
        "la situation familiale",
        _flag("single_parent"),
    ),
    "has_barrier": FactDefinition(
        "Frein périphérique : {value}",
        ("barriers",),
        "les freins périphériques",
        _has_barrier,
        takes_value=True,
        value_kind="code",
    ),
    "homeless_or_housing_exclusion": FactDefinition(
        "Sans domicile ou exclue du logement",
        ("homeless_or_housing_exclusion",),
        "la situation de logement",
        _flag("homeless_or_housing_exclusion"),
    ),
    "disability": FactDefinition(
        "Handicap reconnu", ("disability",), "le handicap", _flag("disability")
    ),
    "long_term_illness": FactDefinition(
        "Affection de longue durée",
        ("long_term_illness",),
        "l'affection de longue durée",
        _flag("long_term_illness"),
    ),
    "followed_by_cap_emploi": FactDefinition(
        "Accompagnée par Cap emploi",
        ("followed_by_cap_emploi",),
        "le suivi par Cap emploi",
        _flag("followed_by_cap_emploi"),
    ),
    "justice_measure": FactDefinition(
        "Sous main de justice",
        ("justice_measure",),
        "la mesure de justice",
        _flag("justice_measure"),
    ),
    "far_from_institutions": FactDefinition(
        "Personne « invisible », hors des radars des institutions",
        ("far_from_institutions",),
        "la situation « invisible »",
        _flag("far_from_institutions"),
    ),
    "siae_employee": FactDefinition(
        "Salariée en insertion d'une SIAE",
        ("siae_employee",),
        "l'emploi en SIAE",
        _flag("siae_employee"),
    ),
    "resides_in_qpv": FactDefinition(
        "Habite un quartier prioritaire (QPV)",
        ("qpv",),
        "le quartier de résidence",
        _flag("resides_in_qpv"),
    ),
    "third_country_national": FactDefinition(
        "Ressortissante de pays tiers", ("nationality",), "la nationalité", _third_country
    ),
    "sex_is": FactDefinition(
        "Sexe : {value}", ("sex",), "le sexe", _sex_is, takes_value=True, value_kind="sex"
    ),
    "age_under": FactDefinition(
        "Âgée de moins de {value} ans",
        ("birth_date",),
        "la date de naissance",
        _age_under,
        takes_value=True,
        value_kind="number",
    ),
    "age_at_least": FactDefinition(
        "Âgée de {value} ans ou plus",
        ("birth_date",),
        "la date de naissance",
        _age_at_least,
        takes_value=True,
        value_kind="number",
    ),
}


def facts_reading(fields: frozenset[str] | set[str]) -> frozenset[str]:
    """The criteria that read at least one of `fields` (field names of the person and of the
    entry file): given the sensitive fields, those whose result only the roles allowed to
    see sensitive data read. `has_barrier` is sensitive or not by the barrier type."""
    return frozenset(code for code, definition in FACTS.items() if set(definition.needs) & fields)


_COMBINATORS = ("all", "any", "not", "fact")


def validate_rule(node: Any, path: str = "règle") -> None:
    """Refuse a malformed rule before it is saved, saying where the mistake is."""
    if not isinstance(node, dict):
        raise RuleError(f"{path} : chaque élément doit être un objet JSON.")
    kinds = [key for key in _COMBINATORS if key in node]
    if len(kinds) != 1:
        raise RuleError(f"{path} : indiquez exactement un de « all », « any », « not », « fact ».")
    kind = kinds[0]
    if kind in ("all", "any"):
        children = node[kind]
        if not isinstance(children, list) or not children:
            raise RuleError(f"{path} : « {kind} » attend une liste non vide.")
        for index, child in enumerate(children, start=1):
            validate_rule(child, f"{path} › {kind} n° {index}")
    elif kind == "not":
        validate_rule(node["not"], f"{path} › not")
    else:
        if not isinstance(node["fact"], str):
            raise RuleError(f"{path} : « fact » attend le code d'un critère, entre guillemets.")
        definition = FACTS.get(node["fact"])
        if definition is None:
            raise RuleError(
                f"{path} : critère « {node['fact']} » inconnu. Critères possibles : "
                + ", ".join(sorted(FACTS))
                + "."
            )
        if definition.takes_value and "value" not in node:
            raise RuleError(
                f"{path} : le critère « {node['fact']} » attend une valeur (« value »)."
            )
        if definition.takes_value and not definition.accepts(node["value"]):
            raise RuleError(
                f"{path} : valeur « {node['value']} » impossible pour le critère "
                f"« {node['fact']} » : {definition.value_hint}."
            )


def _label(node: dict[str, Any]) -> str:
    if "label" in node:
        label: str = node["label"]
        return label
    if "fact" in node:
        return FACTS[node["fact"]].label.format(value=node.get("value", ""))
    return {
        "all": "Toutes les conditions suivantes",
        "any": "Au moins une des conditions suivantes",
        "not": "La condition suivante n'est pas remplie",
    }[next(key for key in _COMBINATORS if key in node)]


def _evaluate(
    node: dict[str, Any], facts: EligibilityFacts, depth: int, findings: list[Finding]
) -> tuple[bool | None, list[str]]:
    """The node's result, and what is missing only where it could still change that result."""
    label = _label(node)
    if "fact" in node:
        definition = FACTS[node["fact"]]
        result, detail = definition.evaluate(facts, node.get("value"))
        findings.append(Finding(depth, label, result, detail, node["fact"], node.get("value")))
        return result, [definition.missing_label] if result is None else []

    position = len(findings)
    findings.append(Finding(depth, label, None))  # replaced once the children are known
    if "not" in node:
        inner, missing = _evaluate(node["not"], facts, depth + 1, findings)
        result = None if inner is None else not inner
    else:
        children = [
            _evaluate(child, facts, depth + 1, findings)
            for child in node["all" if "all" in node else "any"]
        ]
        results = [child_result for child_result, _ in children]
        result = _combine_all(results) if "all" in node else _combine_any(results)
        missing = [] if result is not None else [m for _, child in children for m in child]
    findings[position] = Finding(depth, label, result)
    return result, list(dict.fromkeys(missing))


def _combine_all(results: list[bool | None]) -> bool | None:
    if False in results:
        return False
    if None in results:
        return None
    return True


def _combine_any(results: list[bool | None]) -> bool | None:
    if True in results:
        return True
    if None in results:
        return None
    return False


def assess(rule: dict[str, Any], facts: EligibilityFacts) -> Assessment:
    """Evaluate an entry rule; the findings explain, criterion by criterion, in French."""
    validate_rule(rule)
    findings: list[Finding] = []
    result, missing = _evaluate(rule, facts, 0, findings)
    if result is True:
        return Assessment(EligibilityVerdict.ELIGIBLE, findings, [])
    if result is False:
        return Assessment(EligibilityVerdict.NOT_ELIGIBLE, findings, [])
    return Assessment(EligibilityVerdict.UNDECIDED, findings, missing)
