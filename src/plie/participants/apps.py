from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "plie.participants"
    label = "participants"
    verbose_name = "Participants"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.participants import models
        from plie.participants.checks import check_entry_rule
        from plie.participants.declarations import declare
        from plie.programme.checks import declare_rule_check

        declare_rule_check("entry_rule", check_entry_rule)
        # The journal follows every creation and change (field, before, after); a row's
        # version (core/versioning.py) changes at each save and says nothing.
        auditlog.register(models.Participant, exclude_fields=["name_key", "version"])
        for model in (models.Referral, models.Appointment):
            auditlog.register(model, exclude_fields=["version"])
        auditlog.register(models.OutreachAttempt)
        declare()
