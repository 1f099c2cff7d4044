from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "plie.purchasing"
    label = "purchasing"
    verbose_name = "Achats : appels, propositions, jugement"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.purchasing import declarations, models, register

        # The journal follows every creation and change of the purchasing chain.
        for model in (
            models.CallForProposals,
            models.CallDocument,
            models.RequiredContent,
            models.Criterion,
            models.Proposal,
            models.ProposalDocument,
            models.Offer,
            models.Evaluation,
            models.Score,
            models.WrittenConsultation,
            models.ConsultationAnswer,
        ):
            auditlog.register(model)
        register.declare()
        declarations.declare()
