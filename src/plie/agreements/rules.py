"""Agreement permissions (issue 11, §3-4 and §6): the coordination team reads every agreement,
a provider its organisation's; the coordinator and project officers make agreements and
amendments; any member of the team checks a deliverable (« a team member », §4), records a
payment and exports the payment orders; a provider uploads its own deliverables, and the team
may upload on its behalf (a report received by e-mail). Each permission is an action of the
table of roles (core.permissions, docs/permissions.md)."""

import rules

from plie.accounts.rules import is_case_lead, is_coordination_team, is_provider
from plie.core.permissions import declare_action

PURCHASING = "Achats et conventions"


@rules.predicate
def works_for_the_provider(user, agreement) -> bool:
    """The agreement is with the organisation the user works for (issue 11, §6: a provider's
    accounts belong to its organisation)."""
    return bool(
        agreement is not None
        and user.organisation_id
        and agreement.provider_id == user.organisation_id
    )


own_provider = is_provider & works_for_the_provider

declare_action(
    "agreements.view_agreement_list",
    is_coordination_team | is_provider,
    label="Voir la liste des conventions (un prestataire : celles de sa structure)",
    group=PURCHASING,
)
declare_action(
    "agreements.open_agreement",
    is_coordination_team | own_provider,
    label="Ouvrir une convention : échéancier, livrables et leurs documents",
    group=PURCHASING,
    on="agreement",
)
declare_action(
    "agreements.manage_agreement",
    is_case_lead,
    label="Créer une convention, enregistrer sa signature, demander et décider un avenant",
    group=PURCHASING,
)
declare_action(
    "agreements.upload_deliverable",
    is_coordination_team | own_provider,
    label="Déposer un livrable (le prestataire les siens, l'équipe pour son compte)",
    group=PURCHASING,
    on="agreement",
)
declare_action(
    "agreements.check_deliverable",
    is_coordination_team,
    label="Vérifier un livrable reçu : l'accepter, ou le demander à refaire",
    group=PURCHASING,
)
declare_action(
    "agreements.record_payment",
    is_coordination_team,
    label="Enregistrer le paiement d'une échéance à payer",
    group=PURCHASING,
)
declare_action(
    "agreements.export_payment_orders",
    is_coordination_team,
    label="Exporter les ordres de paiement (XLSX, CSV) pour le service financier",
    group=PURCHASING,
)
