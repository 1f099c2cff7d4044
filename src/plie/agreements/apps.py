from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "plie.agreements"
    label = "agreements"
    verbose_name = "Conventions, avenants et paiements"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.agreements import declarations, models

        # The journal follows every creation and change of agreements and their payments.
        for model in (
            models.Agreement,
            models.Commitment,
            models.Amendment,
            models.Instalment,
            models.Deliverable,
            models.PaymentScheduleTemplate,
            models.ScheduleLine,
        ):
            auditlog.register(model)
        declarations.declare()
