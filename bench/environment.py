"""A PostgreSQL database and a Redis database of the benchmarks' own.

Next to the ones given by DATABASE_URL and REDIS_URL (or config/settings.py's defaults):
database ``<name>_bench`` on the same server, dropped and created afresh and migrated for
every run, and Redis database number BENCH_REDIS_DB (default 15), emptied before and after.
Development data is never read or written. Each run has a secret key and an encryption salt
of its own (random), so the benchmarks' web server can run with production settings, which
refuse the development ones, and read what the benchmarks stored.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import psycopg
import redis
from psycopg import sql

# The same defaults as config/settings.py.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/haven"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_BENCH_REDIS_DB = 15
POSTGRES_SCHEMES = ("postgres", "postgresql")


@dataclass(frozen=True)
class Services:
    given_database_url: str
    database_url: str
    redis_url: str
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(64), repr=False)
    field_encryption_salt: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    @property
    def database_name(self) -> str:
        return database_name(self.database_url)

    @property
    def env(self) -> dict[str, str]:
        """What settings read, pointed at the benchmarks' own databases. Celery's broker and
        result backend are set too, in case the caller's environment names others; and the
        run's own secret key and field encryption salt."""
        return {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
            "SECRET_KEY": self.secret_key,
            "FIELD_ENCRYPTION_SALTS": self.field_encryption_salt,
        }


def with_path(url: str, path: str) -> str:
    return urlsplit(url)._replace(path=path).geturl()


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def redis_db(url: str) -> int:
    return int(urlsplit(url).path.lstrip("/") or 0)


def services_from_environment() -> Services:
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    bench_db = int(os.environ.get("BENCH_REDIS_DB", DEFAULT_BENCH_REDIS_DB))
    if urlsplit(database_url).scheme not in POSTGRES_SCHEMES:
        raise SystemExit(f"DATABASE_URL must be a postgres:// URL, not {database_url!r}")
    if bench_db == redis_db(redis_url):
        raise SystemExit(f"BENCH_REDIS_DB={bench_db} is REDIS_URL's own database: pick another")
    return Services(
        given_database_url=database_url,
        database_url=with_path(database_url, f"/{database_name(database_url)}_bench"),
        redis_url=with_path(redis_url, f"/{bench_db}"),
    )


def _on_server(services: Services, statement: sql.Composable) -> None:
    """Run one statement through a connection to the given database (a database cannot be
    dropped or created from inside itself)."""
    with psycopg.connect(services.given_database_url, autocommit=True) as connection:
        connection.execute(statement)


def drop_database(services: Services) -> None:
    name = sql.Identifier(services.database_name)
    _on_server(services, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def create_database(services: Services) -> None:
    drop_database(services)
    _on_server(
        services, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(services.database_name))
    )


def flush_redis(services: Services) -> None:
    client = redis.Redis.from_url(services.redis_url)
    try:
        client.flushdb()
    finally:
        client.close()


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def fresh_databases(services: Services) -> None:
    """Start the next benchmark from nothing: the database dropped, created and migrated
    again, and the Redis database emptied (Django stays set up, pointed at them)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    create_database(services)
    flush_redis(services)
    call_command("migrate", verbosity=0, interactive=False)
    ContentType.objects.clear_cache()  # ids from the database just dropped


@contextmanager
def bench_services(*, keep_database: bool = False) -> Iterator[Services]:
    """Fresh benchmark databases, with this process (and every process it starts) pointed
    at them; dropped and emptied afterwards unless ``keep_database``."""
    services = services_from_environment()
    create_database(services)
    flush_redis(services)
    os.environ.update(services.env)
    setup_django()
    try:
        yield services
    finally:
        from django.db import connections

        connections.close_all()
        flush_redis(services)
        if not keep_database:
            drop_database(services)
