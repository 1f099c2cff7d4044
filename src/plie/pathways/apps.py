from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "plie.pathways"
    label = "pathways"
    verbose_name = "Parcours"

    def ready(self):
        from plie.pathways.checks import check_exit_rules
        from plie.programme.checks import declare_rule_check

        declare_rule_check("exit_rules", check_exit_rules)
