"""Two PostgreSQL roles: the owner, which runs migrations, and the application role, which
the web and worker processes connect as and which owns nothing (docs/operations.md,
"Database roles").

After every ``migrate`` (run as the owner), ``grant_application_role`` gives the
application role exactly what the running service needs: read and write rows, use the
sequences. It cannot TRUNCATE, ALTER or DROP anything, nor drop or disable a trigger, because
only a table's owner may. On the append-only tables (the audit log and the status history)
it may only read and add rows: UPDATE and DELETE are revoked, so neither a bug nor an
attacker with the application's credentials can rewrite or empty the trail.

The field-history tables (pghistory's events) keep UPDATE and DELETE for the application:
retention and erasure must remove her personal data from history too. Their triggers refuse
both unless the code says, inside one transaction, that it is anonymising
(``dataprotection.services.remove_personal_data``).
"""

import pghistory.models
from django.apps import apps
from django.conf import settings
from psycopg import sql

APPEND_ONLY_TRIGGER = "append_only"


def append_only_tables() -> list[str]:
    """Tables whose rows are never changed or removed: an append-only trigger, and not a
    field-history table (which anonymisation must clear)."""
    tables = []
    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event):
            continue
        triggers = getattr(model._meta, "triggers", [])
        if any(trigger.name == APPEND_ONLY_TRIGGER for trigger in triggers):
            tables.append(model._meta.db_table)
    return sorted(tables)


def grant_application_role(*, connection, role: str) -> None:
    """Give ``role`` the service's rights on every table and sequence, and no more."""
    name = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            name
        ),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        *[
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(table), name
            )
            for table in append_only_tables()
        ],
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def grant_after_migrate(sender, *, using="default", **kwargs) -> None:
    """``post_migrate``: when ``DATABASE_APP_ROLE`` is set, grant it its rights on the
    tables this migration run may have added."""
    from django.db import connections

    role = settings.DATABASE_APP_ROLE
    if role:
        grant_application_role(connection=connections[using], role=role)
