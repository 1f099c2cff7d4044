"""When a call may be published, and when its deposits may be closed (issue 11 §2; seed 000
« selon les critères d'évaluation pondérés suivants : valeur technique 40 %, équipe 30 %,
prix 30 % » and « La proposition d'intervention devra comporter a minima… »; seed 001
« La réponse […] doit s'effectuer dans le cadre du formulaire annexé »).

Plain values in, the French reasons that stand in the way out (an empty list: go ahead).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from plie.core import formatting
from plie.purchasing.enums import CallStatus, Procedure
from plie.purchasing.flags import closing_moment


@dataclass(frozen=True)
class CriterionWeight:
    label: str
    weight: int
    is_price: bool


def publication_problems(
    *,
    status: str,
    procedure: str,
    deadline: datetime.datetime,
    now: datetime.datetime,
    criteria: Sequence[CriterionWeight],
    required_contents: int,
) -> list[str]:
    """Seed 000 (weighted criteria, price among them for a service) and seed 001 (the
    contents a proposal must hold): what keeps a draft call from being published."""
    if status != CallStatus.DRAFT:
        return ["Cet appel est déjà publié : seul un appel en préparation se publie."]
    problems = []
    total = sum(criterion.weight for criterion in criteria)
    if not criteria:
        problems.append(
            "L'appel n'a aucun critère de jugement : ajoutez ses critères pondérés "
            "(par exemple valeur technique 40 %, équipe 30 %, prix 30 %)."
        )
    elif total != 100:
        problems.append(
            f"Les poids des critères font {total} % au lieu de 100 % : corrigez-les pour "
            "que leur somme fasse 100 %."
        )
    prices = sum(1 for criterion in criteria if criterion.is_price)
    if procedure == Procedure.SERVICE and prices != 1:
        problems.append(
            "Une consultation pour une prestation juge le prix : cochez « critère du prix » "
            "sur un critère, et un seul."
        )
    if deadline <= now:
        problems.append(
            f"La date limite du {formatting.moment(timezone.localtime(deadline))} est passée : choisissez une date "
            "limite à venir."
        )
    if required_contents < 1:
        problems.append(
            "L'appel ne dit pas ce qu'une proposition doit contenir : ajoutez au moins un "
            "élément demandé (présentation du candidat, proposition financière…)."
        )
    return problems


def closing_problem(*, status: str, deadline: datetime.datetime, now: datetime.datetime) -> str:
    """Deposits close (the call goes to instruction) once the deadline's minute is over
    (flags.closing_moment): until then, a provider may still answer. Empty: they may close."""
    if status != CallStatus.OPEN:
        return "Seul un appel ouvert aux réponses se clôture."
    if now < closing_moment(deadline):
        return (
            f"Les dépôts restent ouverts jusqu'au {formatting.moment(timezone.localtime(deadline))} : clôturez-les "
            "après la date limite."
        )
    return ""
