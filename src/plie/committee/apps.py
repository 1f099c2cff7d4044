from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "plie.committee"
    label = "committee"
    verbose_name = "Commission d'entrées-sorties"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.committee.declarations import declare
        from plie.committee.models import CommitteeItem, CommitteeMeeting

        # The journal follows every creation and change (field, before, after).
        auditlog.register(CommitteeMeeting)
        auditlog.register(CommitteeItem, exclude_fields=["version"])  # core/versioning.py
        declare()
