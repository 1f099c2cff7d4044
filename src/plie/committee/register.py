"""The personal data of the entry/exit committee — who is presented, proposed by whom, what
was decided and why — for the personal-data register (core.register,
docs/personal-data.md); declared when the app is ready.

The committee's pages are open to the coordination team, a person's proposals and decisions
to everyone who opens their record; the free texts (argument, exit details, the decision's
reason) may reveal health or justice and are read as sensitive.
"""

from plie.accounts.enums import CASE_WORKERS, COORDINATION_TEAM, SENSITIVE_DATA_READERS
from plie.core.register import Category, PersonalField, Retention, Subject, declare_personal_data

PATHWAY, FREE_TEXT = Category.PATHWAY, Category.FREE_TEXT


def _item(field, category, purpose, retention=Retention.FSE_EVIDENCE, **more):
    readers = SENSITIVE_DATA_READERS if category.sensitive else CASE_WORKERS
    return PersonalField(
        "committee.CommitteeItem",
        field,
        more.pop("subject", Subject.PARTICIPANT),
        category,
        purpose,
        more.pop("readers", readers),
        retention,
        **more,
    )


def _by(field, label):
    return _item(
        field,
        Category.TRACE,
        "Savoir qui a proposé ou décidé.",
        subject=Subject.STAFF,
        label=label,
    )


ENTRIES = (
    _item("meeting", PATHWAY, "La commission où la personne est présentée.", label="commission"),
    _item("kind", PATHWAY, "Entrée ou sortie proposée."),
    _by("proposed_by", "proposé par"),
    _by("proposed_at", "proposé le"),
    _item("proposed_referent", PATHWAY, "Le ou la référente proposée pour le parcours."),
    _item("proposal_note", FREE_TEXT, "Argumentaire de la proposition.", Retention.ACTIVE_RECORD),
    _item(
        "exit_reason",
        PATHWAY,
        "Motif de la sortie proposée.",
        sensitive_values=(Category.HEALTH,),
        value_readers=SENSITIVE_DATA_READERS,
        note="Comme le motif de sortie du parcours : « Raisons de santé » ne se lit que par les "
        "rôles qui lisent les données sensibles.",
    ),
    _item("exit_date", PATHWAY, "Date de la sortie proposée."),
    _item("exit_condition", PATHWAY, "La condition de sortie positive remplie."),
    _item("exit_condition_label", PATHWAY, "La condition de sortie positive remplie."),
    _item(
        "exit_detail",
        FREE_TEXT,
        "Précisions sur la sortie proposée.",
        Retention.ACTIVE_RECORD,
        note="Pour une sortie positive, elles décrivent l'emploi ou la formation : tous les rôles "
        "qui lisent la proposition les lisent.",
    ),
    _item("decision", PATHWAY, "Décision de la commission : preuve de l'entrée validée."),
    _item("reason", FREE_TEXT, "Motif de la décision.", Retention.ACTIVE_RECORD),
    _by("decided_by", "décidé par"),
    _by("decided_at", "décidé le"),
    PersonalField(
        "committee.CommitteeMeeting",
        "chaired_by",
        Subject.STAFF,
        Category.TRACE,
        "Qui préside la commission (compte rendu).",
        COORDINATION_TEAM,
        Retention.FSE_EVIDENCE,
        label="présidée par",
    ),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
