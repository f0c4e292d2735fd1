"""The cache table (settings.CACHES: PostgreSQL's, so sign-in limits hold while Redis is
down). Django's ``createcachetable`` makes it; running it here means every ``migrate``
creates it (and the application role is granted it with the other tables)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_data_protection_role")]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
