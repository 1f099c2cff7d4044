"""The entries written before the journal stopped keeping sensitive values lose them too:
the before and after of each sensitive field (audit/masking.py) become a mark that names
the field. Not reversible in content (the values are gone, which is the point); going back
leaves the entries as they are."""

from django.apps import apps as current_apps
from django.db import migrations

BATCH = 2000


def mask_existing_entries(apps, schema_editor):
    from plie.audit.masking import without_sensitive_values

    LogEntry = apps.get_model("auditlog", "LogEntry")
    labels = {}
    rewritten = []
    entries = LogEntry.objects.exclude(changes=None).select_related("content_type")
    for entry in entries.only("pk", "changes", "content_type").iterator(chunk_size=BATCH):
        key = (entry.content_type.app_label, entry.content_type.model)
        if key not in labels:
            try:
                labels[key] = current_apps.get_model(*key)._meta.label
            except LookupError:
                labels[key] = ""
        if not labels[key]:
            continue
        masked = without_sensitive_values(labels[key], entry.changes)
        if masked is not entry.changes:
            entry.changes = masked
            rewritten.append(entry)
        if len(rewritten) >= BATCH:
            LogEntry.objects.bulk_update(rewritten, ["changes"])
            rewritten = []
    LogEntry.objects.bulk_update(rewritten, ["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(mask_existing_entries, migrations.RunPython.noop)]
