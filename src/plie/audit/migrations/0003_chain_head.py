"""The end of the hash chain (one row), and the entries already written sealed in the order
they were written, so that the chain starts with the journal's history."""

from django.db import migrations


def create_head_and_seal(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.get_or_create(pk=1)
    # The application's own sealing, run once here: the tables are those it knows.
    from plie.audit.chain import seal_unsealed

    seal_unsealed()


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_no_sensitive_value_kept")]

    operations = [migrations.RunPython(create_head_and_seal, migrations.RunPython.noop)]
