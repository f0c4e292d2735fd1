"""The application connects as a PostgreSQL role that owns nothing: it
cannot empty, alter or un-trigger any table, nor change or delete a row of the audit log or
the status history; the running service's own work still goes through."""

import uuid

import psycopg
import pytest
from django.db import connection
from psycopg import errors, sql

from core.choices import AuditAction
from core.database_roles import append_only_tables, grant_after_migrate, grant_application_role
from core.models import AuditEvent
from referrals.models import StatusChange
from tests.support.factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AUDIT = "referrals_auditevent"
STATUS_HISTORY = "referrals_statuschange"
PARTNER_STEPS = "partners_onwardreferralstep"


def as_role(role: str) -> psycopg.Connection:
    """A connection to this run's test database as ``role`` (trust authentication, as on
    the embedded server and the CI machine)."""
    db = connection.settings_dict
    options = db.get("OPTIONS") or {}
    return psycopg.connect(
        dbname=db["NAME"],
        user=role,
        host=db["HOST"] or options.get("host") or "127.0.0.1",
        port=db["PORT"] or options.get("port") or 5432,
        autocommit=True,
    )


@pytest.fixture
def app_role():
    role = f"haven_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    grant_application_role(connection=connection, role=role)
    yield role
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def refused(conn, statement) -> bool:
    try:
        conn.execute(statement)
    except errors.InsufficientPrivilege:
        return True
    return False


def test_the_audit_log_and_the_two_step_histories_are_the_append_only_tables():
    assert append_only_tables() == [PARTNER_STEPS, AUDIT, STATUS_HISTORY]


@pytest.mark.parametrize("table", [AUDIT, STATUS_HISTORY, PARTNER_STEPS])
def test_the_application_role_cannot_rewrite_or_empty_the_trail(app_role, table):
    case = ReferralFactory()
    AuditEvent.objects.create(actor=UserFactory(), action=AuditAction.VIEWED_CASE, referral=case)
    StatusChange.objects.create(referral=case, from_status="new", to_status="contacting")
    with as_role(app_role) as conn:
        assert refused(conn, f"TRUNCATE {table} CASCADE")
        assert refused(conn, f"TRUNCATE {table}")
        assert refused(conn, f"UPDATE {table} SET id = id")
        assert refused(conn, f"DELETE FROM {table}")
        assert refused(conn, f"ALTER TABLE {table} ADD COLUMN smuggled integer")
        assert refused(conn, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        for (name,) in conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        ).fetchall():
            assert refused(conn, f'DROP TRIGGER "{name}" ON {table}'), name
        assert refused(conn, f"DROP TABLE {table}")
        # Reading it is what the audit pages do.
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() is not None
    assert AuditEvent.objects.count() == 1
    assert StatusChange.objects.count() == 1


def test_the_application_role_owns_nothing_and_cannot_create(app_role):
    with as_role(app_role) as conn:
        owned = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles "
            "WHERE rolname = current_user)"
        ).fetchone()[0]
        assert owned == 0
        assert refused(conn, "CREATE TABLE smuggled (id integer)")
        assert refused(conn, "TRUNCATE referrals_referral CASCADE")
        assert refused(conn, "ALTER TABLE referrals_referral DISABLE TRIGGER ALL")


def test_the_application_role_does_the_services_work(app_role):
    """Add to the trail, and read and write the working tables."""
    keyworker = UserFactory()
    case = ReferralFactory()
    with as_role(app_role) as conn:
        conn.execute(
            f"INSERT INTO {AUDIT} (action, at, detail, actor_id, referral_id) "
            "VALUES ('viewed_case', now(), '{}', %s, %s)",
            [keyworker.pk, case.pk],
        )
        conn.execute(
            "UPDATE referrals_referral SET next_contact_on = current_date WHERE id = %s",
            [case.pk],
        )
        conn.execute("DELETE FROM django_session")
        assert conn.execute("SELECT count(*) FROM referrals_referral").fetchone()[0] >= 1


def test_every_migrate_grants_the_configured_role(settings):
    role = f"haven_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        settings.DATABASE_APP_ROLE = role
        grant_after_migrate(sender=None, using="default")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT has_table_privilege(%s, %s, 'INSERT'), "
                "has_table_privilege(%s, %s, 'UPDATE'), has_table_privilege(%s, %s, 'UPDATE')",
                [role, AUDIT, role, AUDIT, role, "referrals_referral"],
            )
            assert cursor.fetchone() == (True, False, True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
