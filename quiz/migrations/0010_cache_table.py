"""The table of the database cache (settings.CACHES), made with the schema so that no deploy step
can forget it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("quiz", "0009_snapshot_stored_as_utf8")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
