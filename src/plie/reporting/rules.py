"""Who sees the figures: the coordination team and the steering committee (aggregates only).
Each permission is an action of the table of roles (core.permissions, docs/permissions.md)."""

import rules

from plie.accounts import rules as account_rules
from plie.accounts.rules import is_coordination_team, is_steering_viewer
from plie.core.permissions import declare_action
from plie.participants.rules import role_reads_sensitive_data

STEERING = "Pilotage"


@rules.predicate
def is_requester(user, extraction):
    return extraction is not None and extraction.requested_by_id == user.id


declare_action(
    "reporting.view_key_figures",
    is_coordination_team | is_steering_viewer,
    label="Voir les chiffres clés et l'étude de cohorte",
    group=STEERING,
    note="Le comité de pilotage lit les effectifs inférieurs à 5 masqués ou regroupés.",
)
# A référent's dashboard counts their own pathways only (see reporting.dashboard).
declare_action(
    "reporting.view_dashboard",
    is_coordination_team | account_rules.is_referent | is_steering_viewer,
    label="Voir le tableau de bord",
    group=STEERING,
    note="Celui d'un ou d'une référente ne compte que ses parcours.",
)
# Aggregates only, counts under 5 hidden whoever reads it: the steering committee too.
declare_action(
    "reporting.view_quarterly_review",
    is_coordination_team | is_steering_viewer,
    label="Voir et télécharger le point d'étape trimestriel",
    group=STEERING,
)
declare_action(
    "reporting.view_data_quality",
    is_coordination_team,
    label="Voir le contrôle de qualité des données",
    group=STEERING,
)
# The monthly extraction lists people by name: the coordination team only, and sensitive
# columns (RSA, health, justice, nationality) only for the roles the personal-data register
# lets read them (the case leads: the assistant does not).
declare_action(
    "reporting.request_extraction",
    is_coordination_team,
    label="Demander l'extraction mensuelle nominative",
    group=STEERING,
)
declare_action(
    "reporting.download_extraction",
    is_coordination_team & is_requester,
    label="Télécharger une extraction",
    group=STEERING,
    on="extraction",
    note="Seule la personne qui a demandé une extraction la télécharge.",
)
declare_action(
    "reporting.extract_sensitive_data",
    is_coordination_team & role_reads_sensitive_data,
    label="Avoir les colonnes sensibles dans l'extraction",
    group=STEERING,
)
