from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "plie.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation des actions"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.evaluation import declarations
        from plie.evaluation.models import ActionReport, ReportBudgetLine

        # The journal follows each report's course (written, sent, returned, validated) and
        # its budget lines.
        auditlog.register(ActionReport)
        auditlog.register(ReportBudgetLine)
        declarations.declare()
