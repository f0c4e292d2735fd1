"""AuditEvent moves to core (core/0001 took over its table and rows). Drop the append-only
trigger it had under referrals' name, now that core's is in place, and forget the model here."""

import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0012_submission_key_and_notices"),
        ("core", "0001_audit_event_from_referrals"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="auditevent", name="append_only"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
