from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "plie.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation des actions"

    def ready(self):
        from plie.evaluation import declarations

        declarations.declare()
