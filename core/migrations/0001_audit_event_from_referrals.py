"""AuditEvent moves from referrals to core, the lowest layer every app records into."""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0009_cache_table"),
        ("referrals", "0012_submission_key_and_notices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The model moves from referrals to core; its table (still named
        # referrals_auditevent) and every row stay where they are.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("viewed_case", "Viewed case"),
                                    ("picked_up", "Picked up from queue"),
                                    ("assigned", "Assigned"),
                                    ("changed_status", "Changed status"),
                                    ("recorded_contact", "Recorded contact attempt"),
                                    ("added_note", "Added note"),
                                    ("set_next_contact", "Set next contact date"),
                                    ("exported", "Exported"),
                                    ("booked", "Booked into a group session"),
                                    ("cancelled_booking", "Cancelled a group booking"),
                                    ("marked_attendance", "Marked attendance"),
                                    ("resent_reminder", "Resent a reminder"),
                                    ("she_confirmed", "She confirmed by her reminder link"),
                                    ("she_cancelled", "She cancelled by her reminder link"),
                                    ("invited_staff", "Invited a member of staff"),
                                    ("deactivated_staff", "Deactivated a member of staff"),
                                    ("changed_staff_roles", "Changed a member of staff's roles"),
                                    ("admin_added", "Added a record in the Django admin"),
                                    ("admin_changed", "Changed a record in the Django admin"),
                                    ("admin_deleted", "Deleted a record in the Django admin"),
                                    ("exported_report", "Exported a report"),
                                    ("exported_caseload", "Exported the team's caseload"),
                                    ("subject_access", "Produced a subject access export"),
                                    ("erased", "Erased her personal data on request"),
                                    ("anonymised", "Anonymised a case (retention)"),
                                    ("retention_run", "Ran the retention rules"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("detail", models.JSONField(blank=True, default=dict)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="audit_events",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "referral",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="audit_events",
                                to="referrals.referral",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.team",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "referrals_auditevent",
                        "ordering": ["-at", "-pk"],
                        "indexes": [
                            models.Index(fields=["team", "-at"], name="audit_team_time_idx")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Its append-only trigger, under the name pgtrigger gives it in core. The trigger it had
        # in referrals is dropped only after this one exists (referrals/0013), so the table is
        # never unprotected.
        pgtrigger.migrations.AddTrigger(
            model_name="auditevent",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="ee32a59c24158176cb7fdb953302fc1d1aa8fc34",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_6d6e0",
                    table="referrals_auditevent",
                    when="BEFORE",
                ),
            ),
        ),
    ]
