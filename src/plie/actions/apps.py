from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "plie.actions"
    label = "actions"
    verbose_name = "Actions, groupes et présences"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.actions import declarations, models

        # The journal follows every creation and change of actions and what they record of
        # a person (attendance, diagnostics, follow-up sheets, messages).
        for model in (
            models.Action,
            models.Cohort,
            models.Session,
            models.ActionReferral,
            models.Attendance,
            models.FrenchAssessment,
            models.MobilityAssessment,
            models.CleaDomain,
            models.CleaSubdomain,
            models.CleaPositioning,
            models.CleaResult,
            models.SelfAssessment,
            models.SelfAssessmentAnswer,
            models.FollowUpSheet,
            models.Recommendation,
            models.ReferralMessage,
            models.Survey,
            models.SurveyQuestion,
            models.SurveyAnswer,
        ):
            auditlog.register(model)
        # The personal link's token is a secret: the journal never writes it.
        auditlog.register(models.SurveyInvitation, exclude_fields=["token"])
        declarations.declare()
