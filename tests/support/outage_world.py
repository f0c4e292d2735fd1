"""What the outage drills (tests/config/test_outage_drills.py) run: gunicorn, a Celery worker and
beat with production settings, and a client that talks to them as a browser behind the
load balancer does (HTTPS at the balancer, plain HTTP to gunicorn)."""

import contextlib
import email
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

import requests
from django.conf import settings

from tests.support.processes import child_process_environment

STRONG_SECRET = "k3x9-" * 12
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(static_root: Path, mail_dir: Path, **overrides) -> dict:
    return child_process_environment(**{
        "HAVEN_ENV": "production",
        "SECRET_KEY": STRONG_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "STATIC_ROOT": str(static_root),
        "EMAIL_URL": f"filemail:///{mail_dir}",  # an absolute path: three slashes and its own
        "DJANGO_SETTINGS_MODULE": None,
        "PYTHONUNBUFFERED": "1",
        **overrides,
    })  # fmt: skip


def collect_static(static_root: Path, environ: dict) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env={**environ, "STATIC_ROOT": str(static_root)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


class Processes:
    """Started processes, each in its own process group, logging to files; all stopped at
    the end, and their logs printed (pytest shows them when a test fails)."""

    def __init__(self):
        self.log_dir = Path(tempfile.mkdtemp(prefix="haven-drill-"))
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], environ: dict) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environ, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.started.append((name, process))
        return process

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def gunicorn(self, environ: dict) -> str:
        port = free_port()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.start(
            "web", [gunicorn, "-c", "config/gunicorn.py"],
            {**environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                requests.get(f"{url}/healthz", timeout=2)
                return url
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.log('web')}")

    def worker_and_beat(self, environ: dict) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        self.start("worker", [*celery, "worker", "--pool", "prefork", "-c", "2", "-l", "INFO",
                              "--without-heartbeat", "--without-gossip", "--without-mingle"],
                   environ)  # fmt: skip
        schedule = self.log_dir / "beat-schedule"
        self.start("beat", [*celery, "beat", "-l", "INFO", "-s", str(schedule)], environ)
        deadline = time.monotonic() + 60
        while " ready." not in self.log("worker"):
            if time.monotonic() > deadline:
                raise AssertionError(f"worker not ready:\n{self.log('worker')}")
            time.sleep(0.2)

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for name, _process in self.started:
            print(f"\n----- log of {name} -----\n{self.log(name)[-20000:]}")


class Visitor:
    """A browser behind the load balancer, which speaks HTTPS to her: cookies (all Secure)
    kept and sent back over the balancer's plain HTTP to gunicorn, the CSRF token and the
    form's hidden fields sent back, and each request timed."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}
        self.http.headers.update({
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{base.removeprefix('http://')}",
            "Sec-Fetch-Site": "same-origin",
        })  # fmt: skip
        self.last_page = ""
        self.took = 0.0

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        started = time.monotonic()
        response = self.http.request(method, self.base + path, headers=headers,
                                     allow_redirects=False, timeout=40, **kwargs)  # fmt: skip
        self.took = time.monotonic() - started
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.http.cookies.clear()
        self.last_page = response.text
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._send("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        """Post ``data`` with the hidden fields of the last page drawn (CSRF token, the
        form's own), as the browser would."""
        hidden = dict(HIDDEN.findall(self.last_page))
        return self._send("POST", path, data={**hidden, **data}, **kwargs)


def mails(mail_dir: Path) -> list[email.message.Message]:
    """Every message Django's file backend wrote (one file per connection; messages in it
    separated by a line of dashes)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip()))
    return found
