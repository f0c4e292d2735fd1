"""/healthz: is this web process able to reach what it depends on? It answers within
about a second whatever hangs: each check runs in a thread of its own with its own
connection and bounded waits, and a check that has not answered in time counts as down. A
check still hanging from an earlier probe is not started again (no pile of stuck threads
while a server is frozen): it is reported down at once."""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import psycopg
import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

ANSWER_WITHIN = 0.8  # seconds for all checks together; the probe gets its answer in ~1 s

_in_flight: dict[str, threading.Event] = {}
_lock = threading.Lock()


def database_is_up() -> bool:
    """A connection of its own (never the request's): a frozen server leaves only this
    thread waiting, until the server answers or the connection times out."""
    params = connection.get_connection_params()
    params["connect_timeout"] = max(2, int(params.get("connect_timeout") or 2))
    params.pop("cursor_factory", None)
    params.pop("context", None)
    try:
        with psycopg.connect(**params, autocommit=True) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False


def redis_is_up() -> bool:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=ANSWER_WITHIN, socket_timeout=ANSWER_WITHIN
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        logger.exception("health check: redis unreachable")
        return False
    finally:
        client.close()


CHECKS = {"database": database_is_up, "redis": redis_is_up}


def _run(name: str, check, done: threading.Event) -> bool:
    try:
        return check()
    finally:
        with _lock:
            _in_flight.pop(name, None)
        done.set()


def run_checks() -> dict[str, str]:
    results = {}
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="healthz")
    futures = {}
    for name, check in CHECKS.items():
        with _lock:
            if name in _in_flight:
                results[name] = "down"  # the last probe's check is still waiting
                continue
            _in_flight[name] = threading.Event()
        futures[name] = pool.submit(_run, name, check, _in_flight[name])
    pool.shutdown(wait=False)
    deadline = time.monotonic() + ANSWER_WITHIN
    for name, future in futures.items():
        try:
            answer = future.result(timeout=max(0.0, deadline - time.monotonic()))
            results[name] = "ok" if answer else "down"
        except FutureTimeout:
            logger.error("health check: %s did not answer within %s s", name, ANSWER_WITHIN)
            results[name] = "down"
    return {name: results[name] for name in CHECKS}


@require_safe
def healthz(request):
    checks = run_checks()
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503
    )
