"""The audit trail moved from referrals to core (core/0001, referrals/0013) with every row
kept: a database migrated to the old layout and filled there is migrated forward, and the
rows are read back through core's model, still append-only."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEvent
from tests.support.factories import ReferralFactory, UserFactory

OLD_LAYOUT = [("referrals", "0012_submission_key_and_notices"), ("core", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_written_in_the_old_layout_are_read_through_core_after_migrating():
    referral = ReferralFactory()
    actor = UserFactory()
    try:
        old_apps = migrate(OLD_LAYOUT)
        OldAuditEvent = old_apps.get_model("referrals", "AuditEvent")
        old = OldAuditEvent.objects.create(
            actor_id=actor.pk,
            action="viewed_case",
            referral_id=referral.pk,
            team_id=referral.team_id,
            ip_address="127.0.0.1",
            detail={"written": "before the move"},
        )
        with pytest.raises(DatabaseError), transaction.atomic():
            OldAuditEvent.objects.filter(pk=old.pk).update(action="exported")
    finally:
        migrate(latest())

    moved = AuditEvent.objects.get(pk=old.pk)
    assert (moved.actor_id, moved.referral_id, moved.action) == (
        actor.pk,
        referral.pk,
        "viewed_case",
    )
    assert moved.detail == {"written": "before the move"}
    assert list(referral.audit_events.all()) == [moved]
    # Still append-only, under core's trigger (and only that one).
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=moved.pk).update(action="exported")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=moved.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'referrals_auditevent'::regclass "
            "AND NOT tgisinternal"
        )
        assert [name for (name,) in cursor.fetchall()] == ["pgtrigger_append_only_6d6e0"]
    # New rows go into the same table, numbered after the old ones.
    assert AuditEvent.objects.create(action="exported").pk > old.pk
