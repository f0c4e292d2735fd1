"""The environment for a process a test starts (a server, a Celery worker, ``manage.py``).

The child must use exactly what this test run uses: the test database on the same server
(a TCP host and port, or the embedded PostgreSQL's socket directory), the same Redis, the
same Celery broker, and the test's clock (tests/support/clock.py). Where the run
names an application role (``DATABASE_APP_ROLE``: the suite itself runs as the owner, which
creates the test database), the child connects as that role, as the web and worker
processes do in production: servers and workers started by tests prove the service works
with the rights the role is granted (core/database_roles.py). Building the
URL from ``HOST`` and ``PORT`` alone once sent children to 127.0.0.1:5432 while the suite ran
on the embedded server, whose socket directory sits in ``OPTIONS``.
"""

import os
import subprocess
import sys
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection

from tests.support.clock import child_environment


def database_url_of(db: dict | None = None, *, user: str | None = None) -> str:
    """A ``DATABASE_URL`` naming the database this test run is using (or ``db``), as its
    user or as ``user`` (who signs in as the server allows: trust on the embedded and CI
    servers)."""
    db = db or connection.settings_dict
    if user:
        db = {**db, "USER": user, "PASSWORD": ""}
    options = {
        key: value
        for key, value in (db.get("OPTIONS") or {}).items()
        if isinstance(value, str | int) and not isinstance(value, bool)
    }
    host = db["HOST"] or str(options.get("host", ""))
    port = db["PORT"] or options.get("port", "")
    options.pop("host", None)
    options.pop("port", None)
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    if host.startswith("/"):  # a socket directory: libpq's host parameter, not a hostname
        options = {"host": host, **({"port": port} if port else {}), **options}
        netloc = f"{user}{password}@"
    else:
        netloc = f"{user}{password}@{host or '127.0.0.1'}:{port or 5432}"
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{netloc}/{quote(db['NAME'], safe='')}{query}"


def child_process_environment(**overrides: str | None) -> dict[str, str]:
    """``os.environ`` with this run's database, Redis, broker and clock; ``None`` removes a
    variable. The child reads its settings afresh, so Django's test-only variables go."""
    from config.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url_of(user=settings.DATABASE_APP_ROLE or None),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": app.conf.broker_url,
        **child_environment(),
    }
    # Tasks keep no results (settings: CELERY_RESULT_BACKEND unset); a run that sets one
    # passes it on.
    env.pop("CELERY_RESULT_BACKEND", None)
    if app.conf.result_backend:
        env["CELERY_RESULT_BACKEND"] = app.conf.result_backend
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


STRONG_SECRET = "k3x9-" * 12


def run_django(code_or_args, **env_overrides):
    """Python in a fresh process with production's settings (a strong key, DEBUG off), so
    settings read once at start-up are read afresh; ``env_overrides`` change or remove
    (``None``) variables."""
    production = {
        "HAVEN_ENV": "production",
        "SECRET_KEY": STRONG_SECRET,
        "FIELD_ENCRYPTION_SALTS": "test-salt-one,test-salt-two",
        "ALLOWED_HOSTS": "haven.example.org",
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": None,
    }
    env = child_process_environment(**{**production, **env_overrides})
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
