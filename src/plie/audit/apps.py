from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "plie.audit"
    label = "audit"
    verbose_name = "Journal"

    def ready(self):
        from auditlog.models import LogEntry
        from django.db.models.signals import post_save, pre_save

        from plie.audit import account_events, chain, journal, masking, register
        from plie.core.uploads import declare_download_journal

        register.declare()
        # No sensitive value is kept in clear (the register says which).
        pre_save.connect(masking.keep_no_sensitive_value, sender=LogEntry, dispatch_uid="plie.mask")
        # Each entry is sealed into the hash chain once its transaction commits.
        post_save.connect(chain.entry_written, sender=LogEntry, dispatch_uid="plie.seal")
        account_events.connect()  # logins refused, lockouts, passwords and roles
        # A document served by an app below the journal is journaled here.
        declare_download_journal(journal.record_document)
