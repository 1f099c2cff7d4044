"""The domain's checks on one imported row, as plain functions over values already read.

They say what the services and forms say for the same input (recording.check_step,
record_contact, close_referral, propose_exit, the participant form), with the column
named first. They are written again here, not called, because the originals need saved
rows and run a query per row (see docs/import-format.md, « Limites »); the wording is kept
identical so that a person meets one message for one mistake.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain

from django.utils import timezone

from plie.core.formatting import day as _d
from plie.participants.enums import (
    ExitReason,
    PathwayStatus,
    ReferralStatus,
)
from plie.pathways.enums import StepOutcome
from plie.pathways.recording import MAX_WEEKLY_HOURS, settled_outcome
from plie.pathways.recording import step_problems as recorded_step_problems

NOT_ENTERED = (
    PathwayStatus.DRAFT,
    PathwayStatus.PROPOSED,
    PathwayStatus.REFUSED,
    PathwayStatus.ABANDONED,
)


def _future(header: str, day: datetime.date) -> str:
    return (
        f"{header} : cette date est dans le futur ({_d(day)}) : saisissez une date passée "
        "ou celle d'aujourd'hui"
    )


# Participants ----------------------------------------------------------------------------


def residence_problems(values: dict, lookups, *, creating: bool, failed: set) -> list[str]:
    """One residence: a commune of the territory or one outside it; a QPV in that commune."""
    problems = []
    commune, outside = values.get("commune"), values.get("commune_hors_territoire", "")
    stated = creating or "commune" in values or "commune_hors_territoire" in values
    if commune and outside:
        problems.append(
            "commune_hors_territoire : choisissez une commune du territoire ou indiquez une "
            "commune hors territoire, pas les deux"
        )
    elif not commune and not outside and stated and "commune" not in failed:
        problems.append(
            "commune : indiquez le code INSEE de la commune de résidence, ou la commune hors "
            "territoire dans commune_hors_territoire"
        )
    qpv = values.get("qpv")
    if qpv and commune and lookups.qpv_communes[qpv] != commune:
        problems.append(
            f"qpv : le quartier {lookups.qpv_names[qpv]} n'est pas à "
            f"{lookups.commune_names[commune]} : corrigez la commune ou le quartier"
        )
    elif qpv and not commune and "commune" not in failed:
        problems.append("qpv : un quartier prioritaire suppose une commune du territoire")
    return problems


# Referrals -------------------------------------------------------------------------------


def referral_status(values: dict, existing) -> str:
    """The state written: the one given, else closed when an outcome is given."""
    if values.get("etat"):
        return values["etat"]
    if values.get("issue"):
        return ReferralStatus.CLOSED
    if existing is not None:
        return existing.status
    return ReferralStatus.AWAITING_APPOINTMENT


def referral_problems(values: dict, status: str, today: datetime.date, failed: set) -> list[str]:
    problems = []
    outcome, closed_on = values.get("issue", ""), values.get("date_cloture")
    referred_on = values.get("date_orientation")
    if status == ReferralStatus.CLOSED and (values.get("etat") or outcome):
        if not outcome and "issue" not in failed:
            problems.append(
                "issue : une orientation clôturée a une issue (entrée, refus, personne "
                "injoignable…) : remplissez-la"
            )
        if not closed_on and "date_cloture" not in failed:
            problems.append("date_cloture : indiquez la date de clôture de cette orientation")
    elif status != ReferralStatus.CLOSED:
        label = ReferralStatus(status).label
        if outcome:
            problems.append(
                f"issue : une orientation « {label} » n'a pas encore d'issue : videz la "
                "cellule ou mettez l'état « Clôturée »"
            )
        if closed_on:
            problems.append(
                f"date_cloture : une orientation « {label} » n'est pas close : videz la "
                "cellule ou mettez l'état « Clôturée »"
            )
    if closed_on and closed_on > today:
        problems.append(_future("date_cloture", closed_on))
    if closed_on and referred_on and closed_on < referred_on:
        problems.append(
            f"date_cloture : la clôture ({_d(closed_on)}) ne peut pas précéder l'orientation "
            f"du {_d(referred_on)}"
        )
    return problems


# Pathways --------------------------------------------------------------------------------


def pathway_status(given: str | None, entry, exit_on, existing) -> str:
    """The state given, else the one the dates say: exited, in progress, or not entered."""
    if given:
        return given
    if exit_on:
        return PathwayStatus.EXITED
    if entry:
        return PathwayStatus.ACTIVE
    if existing is not None and existing.status in NOT_ENTERED:
        return existing.status
    return PathwayStatus.DRAFT


def reopened(exit_on: datetime.date) -> str:
    return (
        f"etat : ce parcours est sorti le {_d(exit_on)} et l'import ne supprime pas une "
        "sortie : mettez l'état « Sorti »"
    )


def pathway_problems(status, entry, exit_on, referral, today, failed: set) -> list[str]:
    problems = []
    label = PathwayStatus(status).label
    entered = status in (PathwayStatus.ACTIVE, PathwayStatus.EXITED)
    if entered and not entry and "date_entree" not in failed:
        problems.append(
            f"date_entree : un parcours « {label} » a une date d'entrée : remplissez-la"
        )
    if status in NOT_ENTERED and entry:
        problems.append(
            f"date_entree : un parcours « {label} » n'a pas encore de date d'entrée : videz la "
            "cellule ou corrigez l'état"
        )
    if exit_on and status in NOT_ENTERED:
        problems.append(reopened(exit_on))
    if entry and entry > today:
        problems.append(_future("date_entree", entry))
    if entry and referral is not None and referral.referred_on and entry < referral.referred_on:
        problems.append(
            f"date_entree : l'entrée du {_d(entry)} ne peut pas précéder l'orientation du "
            f"{_d(referral.referred_on)} : corrigez l'une des deux dates"
        )
    if entry and exit_on and exit_on < entry:
        problems.append(
            f"date_entree : l'entrée du {_d(entry)} suit la sortie déjà enregistrée du "
            f"{_d(exit_on)}"
        )
    return problems


# Exits -----------------------------------------------------------------------------------


def exit_problems(values: dict, pathway, conditions: dict[str, str], today) -> list[str]:
    """As propose_exit: after the entry, a positive exit names the protocol's condition met."""
    problems = []
    exit_on, reason = values.get("date_sortie"), values.get("motif")
    condition, label = values.get("condition", ""), values.get("libelle_condition", "")
    if pathway is not None:
        if pathway.status in NOT_ENTERED or not pathway.entry_date:
            problems.append(
                f"parcours : le parcours « {pathway.id} » n'a pas commencé "
                f"(« {PathwayStatus(pathway.status).label} ») : une sortie suit une entrée"
            )
        elif exit_on and exit_on < pathway.entry_date:
            problems.append(
                f"date_sortie : la sortie du {_d(exit_on)} ne peut pas précéder l'entrée du "
                f"{_d(pathway.entry_date)}"
            )
    if exit_on and exit_on > today:
        problems.append(_future("date_sortie", exit_on))
    codes = ", ".join(code for code in conditions if code)
    if reason == ExitReason.POSITIVE:
        if not condition:
            problems.append(
                "condition : une sortie positive nomme la condition du protocole remplie : "
                "remplissez-la" + (f" (codes possibles : {codes})" if codes else "")
            )
        elif conditions and condition not in conditions:
            problems.append(
                f"condition : « {condition} » n'est pas une condition de sortie positive du "
                f"protocole en vigueur au {_d(exit_on)} : codes possibles {codes}"
            )
    elif reason and (condition or label):
        problems.append(
            "condition : seule une sortie positive a une condition : videz condition et "
            "libelle_condition"
        )
    if reason == ExitReason.OTHER and not values.get("precisions"):
        problems.append("precisions : précisez le motif de sortie")
    return problems


# Steps -----------------------------------------------------------------------------------


# The step's columns, by model field, for the messages shared with the forms.
STEP_COLUMNS = {
    "start_date": "date_debut",
    "planned_end_date": "fin_prevue",
    "end_date": "fin_reelle",
    "weekly_hours": "heures_semaine",
}


def step_outcome(values: dict, end, today, *, creating: bool) -> str | None:
    """As check_step: a step in progress whose real end has passed is completed."""
    if "issue" not in values and not creating:
        return None
    return settled_outcome(values.get("issue") or StepOutcome.IN_PROGRESS, end, today)


def step_problems(
    values, *, start, end, hours, is_job, pathway, birth_date, today, failed, creating
):
    """recording.step_problems on one imported row (pathway None: unknown), with its columns."""
    problems = []
    if pathway is not None and not pathway.entry_date:
        problems.append(
            f"parcours : le parcours « {pathway.id} » n'a pas de date d'entrée : une étape "
            "suppose un parcours commencé"
        )
    if start is None:
        return problems
    errors = recorded_step_problems(
        start=start,
        planned_end=values.get("fin_prevue"),
        end=end,
        hours=hours,
        is_job=is_job and "heures_semaine" not in failed,
        outcome=step_outcome(values, end, today, creating=creating),
        birth_date=birth_date,
        exit_date=pathway.exit_date if pathway is not None else None,
        today=today,
    )
    for field, message in errors.items():
        column = STEP_COLUMNS[field]
        if field == "end_date" and not end and column in failed:
            continue  # the unreadable date is already reported
        problems.append(f"{column} : {message}")
    return problems


def over_working_time(steps: Iterable, others: Iterable) -> Iterator[tuple[object, Decimal]]:
    """Job steps whose hours, with the jobs overlapping them, exceed 48 h a week."""
    steps, others = list(steps), list(others)
    far = datetime.date.max
    for step in steps:
        total = step.hours
        for other in chain(steps, others):
            if other is step:
                continue
            if other.start <= (step.end or far) and (other.end is None or other.end >= step.start):
                total += other.hours
        if total > MAX_WEEKLY_HOURS:
            yield step, total


# Contacts --------------------------------------------------------------------------------


WITHDRAWN_WORDS = {
    "etapes": ("l'étape", "retirée", "saisie", "une autre étape"),
    "contacts": ("le contact", "retiré", "saisi", "un autre contact"),
}


def withdrawn(kind_name: str, key: str, day: datetime.date) -> str:
    """A row naming a step or contact withdrawn in the application (entered by mistake)."""
    what, withdrawn_, entered, another = WITHDRAWN_WORDS[kind_name]
    return (
        f"id : {what} « {key} » a été {withdrawn_} le {_d(day)}, {entered} par erreur ; "
        "l'import ne remet pas en vigueur un enregistrement retiré : enlevez cette ligne du "
        f"fichier, ou donnez-lui un autre identifiant s'il s'agit d'{another}"
    )


def contact_problems(values: dict, referral) -> list[str]:
    """As record_contact: the next appointment follows the contact, which follows the referral."""
    problems = []
    contacted_on, next_appointment = values.get("date"), values.get("prochain_rendez_vous")
    if (
        next_appointment
        and contacted_on
        and timezone.localtime(next_appointment).date() < contacted_on
    ):
        problems.append(
            "prochain_rendez_vous : Le prochain rendez-vous doit suivre la date du contact."
        )
    referred_on = referral.referred_on if referral is not None else None
    if referred_on and contacted_on and contacted_on < referred_on:
        problems.append(
            f"date : Ce contact précède l'orientation du {_d(referred_on)} : vérifiez la date."
        )
    return problems
