from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "plie.participants"
    label = "participants"
    verbose_name = "Participants"

    def ready(self):
        from plie.participants.checks import check_entry_rule
        from plie.programme.checks import declare_rule_check

        declare_rule_check("entry_rule", check_entry_rule)
