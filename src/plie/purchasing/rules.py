"""Purchasing permissions: who prepares calls and records proposals (the coordinator and the
project officers prepare and publish, the assistant keys in the proposals received by e-mail
or post), who scores them, who consults the steering committee and awards, and what a
provider sees: its organisation's proposals, never another provider's. Each permission is an
action of the table of roles (core.permissions, docs/permissions.md)."""

import rules

from plie.accounts.rules import (
    is_case_lead,
    is_coordination_team,
    is_coordinator,
    is_provider,
    is_steering_viewer,
)
from plie.core.permissions import declare_action

PURCHASING = "Achats et conventions"


# Calls and proposals ---------------------------------------------------------------------


@rules.predicate
def is_own_organisation_proposal(user, proposal) -> bool:
    """A provider's records are its organisation's: its colleagues' proposals are its own."""
    return bool(
        proposal is not None
        and user.organisation_id is not None
        and proposal.provider_id == user.organisation_id
    )


@rules.predicate
def works_for_an_organisation(user) -> bool:
    return user.organisation_id is not None


declare_action(
    "purchasing.view_calls",
    is_coordination_team,
    label="Voir les appels à propositions, en préparation compris, et les propositions reçues",
    group=PURCHASING,
)
declare_action(
    "purchasing.manage_call",
    is_case_lead,
    label="Préparer un appel à propositions, le publier, clôturer ses dépôts",
    group=PURCHASING,
)
declare_action(
    "purchasing.record_proposal",
    is_coordination_team,
    label="Saisir une proposition reçue par courriel ou par la poste",
    group=PURCHASING,
)
declare_action(
    "purchasing.read_proposal",
    is_coordination_team | (is_provider & is_own_organisation_proposal),
    label="Lire une proposition, ses documents et son accusé de dépôt",
    group=PURCHASING,
    on="proposal",
    note="Un prestataire lit les propositions de sa structure, jamais celles d'une autre.",
)
declare_action(
    "purchasing.submit_proposal",
    is_provider & works_for_an_organisation,
    label="Déposer la proposition de sa structure à un appel ouvert, suivre les siennes",
    group=PURCHASING,
)


# Scoring and decision ----------------------------------------------------------------------


# The evaluators are those who judge offers (seed 000, « Jugement des propositions »): the
# coordinator and the project officers; the assistant checks files, she does not judge.
declare_action(
    "purchasing.score_proposal",
    is_case_lead,
    label="Noter une proposition, après avoir déclaré n'avoir aucun conflit d'intérêts",
    group=PURCHASING,
    note="Chaque évaluateur note chaque critère autre que le prix, de 0 à 10, avec un "
    "commentaire ; il corrige ses notes jusqu'à l'ouverture de la consultation écrite.",
)
declare_action(
    "purchasing.view_ranking",
    is_coordination_team,
    label="Voir le classement des propositions, les notes et les évaluations manquantes",
    group=PURCHASING,
)
declare_action(
    "purchasing.record_offer",
    is_coordination_team,
    label="Noter l'audition d'un candidat et chaque offre révisée après négociation",
    group=PURCHASING,
)
# Consulting the steering committee and awarding commit the PLIE: the coordinator, who
# receives the answers and signs the letters (seed 000: the proposals go to « la
# coordinatrice du PLIE »); the project officers prepare the ranking but do not decide.
declare_action(
    "purchasing.open_consultation",
    is_coordinator,
    label="Ouvrir et clore la consultation écrite du comité de pilotage",
    group=PURCHASING,
)
declare_action(
    "purchasing.award",
    is_coordinator,
    label="Attribuer l'appel, ou le déclarer sans suite",
    group=PURCHASING,
)
# A steering member reads the call's summary and the ranking as totals by criterion: never
# an evaluator's points, name or comment (purchasing/register.py).
declare_action(
    "purchasing.answer_consultation",
    is_steering_viewer,
    label="Répondre à une consultation écrite du comité de pilotage",
    group=PURCHASING,
    note="Le membre lit le résumé de l'appel et le classement (totaux par critère), jamais "
    "les notes ni les commentaires de chaque évaluateur.",
)
declare_action(
    "purchasing.view_letter",
    is_coordination_team | (is_provider & is_own_organisation_proposal),
    label="Télécharger la lettre de notification d'une proposition",
    group=PURCHASING,
    on="proposal",
    note="Un prestataire ne télécharge que la lettre de ses propres propositions.",
)
