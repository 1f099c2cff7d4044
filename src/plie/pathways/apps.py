from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "plie.pathways"
    label = "pathways"
    verbose_name = "Parcours"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.pathways import models
        from plie.pathways.checks import check_exit_rules
        from plie.pathways.declarations import declare
        from plie.programme.checks import declare_rule_check

        declare_rule_check("exit_rules", check_exit_rules)
        # The journal follows every creation and change (field, before, after); a row's
        # version (core/versioning.py) changes at each save and says nothing.
        auditlog.register(models.Pathway, m2m_fields={"barriers"}, exclude_fields=["version"])
        auditlog.register(models.EligibilityAssessment, exclude_fields=["explanation", "facts"])
        for model in (models.Step, models.Contact, models.FollowUp):
            auditlog.register(model, exclude_fields=["version"])
        for model in (models.ReferentChange, models.StepType):
            auditlog.register(model)
        declare()
