"""A request stops waiting for a PostgreSQL that does not answer.

PostgreSQL ends a slow statement itself (``statement_timeout``, set for web processes), and
libpq gives up on a connection that does not open (``connect_timeout``). Neither helps when
the server is frozen or the network silently drops packets: the query waits forever and the
web worker is killed by gunicorn after 30 s, with no page at all. So, in the main thread of
a web process (gunicorn's sync workers serve each request there), every query of a request
has ``DB_CLIENT_DEADLINE_SECONDS`` to answer: an alarm signal interrupts psycopg's wait
(it waits in short slices so that signals are handled), the connection is closed, and
``DatabaseDidNotAnswer`` (a ``DatabaseError``) gives her the friendly 503 page
(config/errors.py). Threads other than the main one keep only the server's own limit.
"""

import signal
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection


class DatabaseDidNotAnswer(OperationalError):
    pass


def _alarm(signum, frame):
    raise DatabaseDidNotAnswer(
        f"PostgreSQL did not answer within {settings.DB_CLIENT_DEADLINE_SECONDS} s"
    )


def deadline(execute, sql, params, many, context):
    """A ``connection.execute_wrapper``: this query must answer in time."""
    seconds = settings.DB_CLIENT_DEADLINE_SECONDS
    if not seconds or threading.current_thread() is not threading.main_thread():
        return execute(sql, params, many, context)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return execute(sql, params, many, context)
    except DatabaseDidNotAnswer:
        # The query is still in flight: this connection cannot be used again.
        context["connection"].close()
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def queries_answer_in_time():
    with connection.execute_wrapper(deadline):
        yield


class DatabaseDeadlineMiddleware:
    """Every query of the request, the session's save at its end included, has a deadline.
    First in the list, so that everything after it is covered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with queries_answer_in_time():
            return self.get_response(request)
