"""The end of the hash chain (one row), there before any entry is sealed."""

from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_no_sensitive_value_kept")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
