"""Django's PostgreSQL backend, with a deadline on the waits a query wrapper cannot reach:
commit, rollback and the health check of a kept connection; and no second try at opening a
connection in a request in which the database has not answered (config/db_deadline.py)."""

from django.conf import settings
from django.db.backends.postgresql import base

from config.db_deadline import (
    HEALTH_CHECK_SECONDS,
    DatabaseDidNotAnswer,
    answer_within,
    connecting,
)


class DatabaseWrapper(base.DatabaseWrapper):
    def connect(self):
        return connecting(super().connect)

    def is_usable(self):
        seconds = settings.DB_CLIENT_DEADLINE_SECONDS and HEALTH_CHECK_SECONDS  # 0: none
        try:
            with answer_within(seconds, self):
                return super().is_usable()
        except DatabaseDidNotAnswer:
            return False  # closed already; Django opens a new one (connect_timeout applies)

    def _commit(self):
        with answer_within(settings.DB_CLIENT_DEADLINE_SECONDS, self):
            return super()._commit()

    def _rollback(self):
        with answer_within(settings.DB_CLIENT_DEADLINE_SECONDS, self):
            return super()._rollback()
