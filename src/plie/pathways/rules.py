"""Pathway permissions: its référent and the case leads fill the entry file and follow the
pathway; the coordination team reads the worklists and caseloads. Each permission is an action
of the table of roles (core.permissions, docs/permissions.md)."""

from plie.accounts.rules import is_case_lead, is_coordination_team, is_referent
from plie.core.permissions import declare_action
from plie.participants.rules import ENTRY, can_follow_participant

PATHWAY = "Parcours"

# The entry file is the pathway's first content: the assistant reads its summary on the
# record (without the sensitive lines) but does not fill it.
declare_action(
    "pathways.edit_entry_file",
    can_follow_participant,
    label="Compléter le dossier d'entrée",
    group=ENTRY,
    on="participant",
)
# Following a pathway: its référent and the case leads record steps, contacts and exits;
# the assistant reads them (data quality) without the sensitive texts.
declare_action(
    "pathways.record_step",
    can_follow_participant,
    label="Enregistrer, corriger ou retirer une étape",
    group=PATHWAY,
    on="participant",
)
declare_action(
    "pathways.record_contact",
    can_follow_participant,
    label="Enregistrer, corriger ou retirer un contact",
    group=PATHWAY,
    on="participant",
)
declare_action(
    "pathways.record_follow_up",
    can_follow_participant,
    label="Noter le suivi après la sortie",
    group=PATHWAY,
    on="participant",
)
declare_action(
    "pathways.transfer",
    is_case_lead,
    label="Confier le parcours à un autre référent",
    group=PATHWAY,
    on="participant",
)
declare_action(
    "pathways.view_worklists",
    is_coordination_team | is_referent,
    label="Voir les listes « À suivre » et « Sorties »",
    group=PATHWAY,
    note="Celles d'un ou d'une référente ne montrent que ses participants.",
)
declare_action(
    "pathways.view_caseloads",
    is_coordination_team,
    label="Voir les files actives de chaque référent",
    group=PATHWAY,
)
