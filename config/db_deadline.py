"""A web request stops waiting for a PostgreSQL that does not answer.

PostgreSQL ends a slow statement itself (``statement_timeout``, set for web processes), and
libpq gives up on a connection that does not open (``connect_timeout``). Neither helps when
the server is frozen or the network silently drops packets: a query, a commit or Django's
connection health check waits forever, and gunicorn kills the worker after 30 s with no page
at all. So in a process that serves requests, in its main thread (gunicorn's sync workers
serve each request there), every wait for the database has a deadline: an alarm signal
interrupts psycopg's wait (it waits in short slices so that signals are handled), the
connection is closed, and ``DatabaseDidNotAnswer`` (a ``DatabaseError``) gives her the
friendly 503 page (config/errors.py).

Queries of a request are wrapped by ``DatabaseDeadlineMiddleware``; commits, rollbacks and
the health check of a kept connection by the database backend (config/postgresql/). Celery
workers and management commands build no middleware and keep only the server's limits.
"""

import signal
import threading
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db import OperationalError, connection

# Django's check that a kept connection still works is a plain "SELECT 1": it gets less.
HEALTH_CHECK_SECONDS = 1.0

_serving_requests = False
# Set when the database failed to answer during the request being served: later attempts in
# the same request (middleware reading the session on the way out, say) fail at once
# instead of waiting again. Cleared as each request starts.
_request = threading.local()  # .serving: inside a request; .failed: the database did not answer


class DatabaseDidNotAnswer(OperationalError):
    pass


def _armed(seconds) -> bool:
    return bool(
        _serving_requests and seconds and threading.current_thread() is threading.main_thread()
    )


@contextmanager
def answer_within(seconds: float, connection_wrapper):
    """Wait at most ``seconds`` for the database; then close this connection (a query is
    still in flight on it) and raise ``DatabaseDidNotAnswer``."""
    if not _armed(seconds):
        yield
        return

    def alarm(signum, frame):
        raise DatabaseDidNotAnswer(f"PostgreSQL did not answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except DatabaseDidNotAnswer:
        _request.failed = True
        connection_wrapper.close()
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def connecting(connect):
    """Open a connection with ``connect``, unless the database already failed to answer in
    this request; a connection that cannot be opened marks the request as failed too."""
    serving = getattr(_request, "serving", False)
    if serving and getattr(_request, "failed", False) and _armed(True):
        raise DatabaseDidNotAnswer("PostgreSQL did not answer earlier in this request")
    try:
        return connect()
    except (OperationalError, psycopg.OperationalError):  # psycopg's, until Django wraps it
        if serving and _armed(True):
            _request.failed = True
        raise


def deadline(execute, sql, params, many, context):
    """A ``connection.execute_wrapper``: this query must answer in time."""
    with answer_within(settings.DB_CLIENT_DEADLINE_SECONDS, context["connection"]):
        return execute(sql, params, many, context)


class DatabaseDeadlineMiddleware:
    """Every query of the request, the session's save at its end included, has a deadline.
    First in the list, so that everything after it is covered."""

    def __init__(self, get_response):
        global _serving_requests
        _serving_requests = True
        self.get_response = get_response

    def __call__(self, request):
        _request.failed = False
        _request.serving = True
        try:
            with connection.execute_wrapper(deadline):
                return self.get_response(request)
        finally:
            _request.serving = False
