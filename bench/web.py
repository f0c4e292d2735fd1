"""Benchmark: the web pages under load, served the way production serves them.

The HTTP part: requests per second, p50/p95/p99 latency and errors for the public
form (its first page, and the whole journey through its steps), a keyworker's caseload
page, a case page and the groups calendar, each compared with a minimal Django view served
by the same gunicorn (the framework ceiling); booking under contention (200 simultaneous
attempts at 12 places); peak memory per gunicorn worker. Targets, on 2 cores: caseload,
case and calendar p95 under 150 ms at 20 concurrent users; the public form at least 40%
of the ceiling; exactly 12 confirmed and no 5xx under contention; under 150 MB per worker;
the dashboard p95 under 500 ms on a year of data.

- Data: a year of one region (bench/web_seed.py), by bulk inserts, then VACUUM ANALYZE
  (a year-old database has planner statistics).
- Server: gunicorn with config/gunicorn.py (2 x cores + 1 sync workers, its own
  max_requests recycling) and Haven's production settings (HAVEN_ENV=production, DEBUG
  off, hashed static files collected beforehand, the run's own secret key and salt),
  plus one Celery worker, on the benchmark's PostgreSQL and Redis databases. The only
  difference from production: ``DJANGO_SETTINGS_MODULE=bench.web_settings``, which adds
  the minimal view's URL (config/settings.py fixes ROOT_URLCONF). Requests say
  ``X-Forwarded-Proto: https``, as the load balancer does, so nothing is redirected.
  Relaxed for the form journey: REFERRAL_SUBMIT_RATE (every referral comes from one IP
  address here) and REFERRAL_MIN_SECONDS_TO_FILL (the load fills the form at once).
- Signing in: each load user's Django session is written to the database directly,
  signed in with password and TOTP the way allauth records it. One member of staff
  signs in through the real sign-in and authenticator pages first, and the sessions are
  checked to hold the same keys as the one allauth made.
- Load: Locust, headless, in a second process (bench/web_load.py), one phase per page:
  20 users with no think time (each sends its next request as soon as the last is
  answered) for PHASE_SECONDS, measured from the moment all 20 are running: the
  throughput, compared with the minimal view's. The staff pages again with 20 users each
  pausing 1 to 5 s between pages (Locust's usual example) for PACED_SECONDS: the p95
  target is judged there, as 20 people using the service at once. Then 200 users, each
  with a woman's "Groups" page open, all press "Book" for one session with 12 places;
  the bookings are counted in the database.
- Dashboard: the six team leads and the service admin, each user opening it in turn for
  the last 12 weeks (the default) and for the whole year, with no pause and then pausing
  1 to 5 s; its p95 target (500 ms) is judged on the paced phase, like the other staff
  pages.
- CPU: per phase, the cores used by Locust, by the server side (gunicorn, Celery,
  PostgreSQL, Redis) and by anything else on the machine, which should be about 0.
- Memory: each gunicorn worker's peak resident memory (VmHWM), sampled four times a
  second over the whole run, so workers recycled by max_requests are counted too.
"""

import http.client
import json
import math
import os
import resource
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import time as time_of_day
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psutil
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from bench import web_seed
from bench.processes import log_tail, peak_rss_bytes, running
from bench.report import RESULTS_DIR, Result, Row
from bench.web_urls import MINIMAL_PATH
from config.celery import app
from config.encrypted_sessions import SessionStore  # the engine settings.SESSION_ENGINE names
from referrals.models import Referral
from sessions_booking.models import Booking, BookingStatus, GroupSession
from tests.support.referral_journey import SELF, SELF_STEPS, VALID_ANSWERS

USERS = 20
PHASE_SECONDS = 20
BURST_ATTEMPTS = 200
BURST_PLACES = 12
P95_TARGET_MS = 150
# The p95 target is judged with 20 people each pausing 1 to 5 s between pages (Locust's
# usual example); every page is also run with no pause at all, for its throughput.
THINK = (1, 5)
PACED_SECONDS = 30
FORM_SHARE_TARGET = 0.40
DASHBOARD_P95_TARGET_MS = 500
WORKER_MEMORY_TARGET_BYTES = 150 * 1000 * 1000  # 150 MB
MIB = 1024 * 1024
READY_SECONDS = 60
SAMPLE_EVERY_SECONDS = 0.25
WARM_UP_REQUESTS = 40
STOP_TIMEOUT_SECONDS = 30  # at the end of a phase, users finish what they started
LOAD_FILE = Path(__file__).resolve().parent / "web_load.py"
AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
ALLAUTH_METHODS = "account_authentication_methods"
ALLAUTH_METHODS_USER = "account_authentication_methods_user"
MARKERS = {
    "caseload": "My caseload",
    "case": "badge priority-",
    "dashboard": "Referrals per week",
}


@dataclass(frozen=True)
class Phase:
    key: str
    user_class: str  # in bench/web_load.py
    label: str
    users: int = USERS
    seconds: int = PHASE_SECONDS
    think: tuple[int, int] | None = None  # seconds each user pauses between pages


PHASES = [
    Phase("minimal", "MinimalView", "minimal Django view (the framework ceiling)"),
    Phase("form", "FormFirstPage", "public form: first page, new visitor (GET)"),
    Phase("caseload", "Caseload", "keyworker's caseload page (staff_home)"),
    Phase("case", "CasePage", "case page (her own cases in turn)"),
    Phase("calendar", "Calendar", "groups calendar, this week (config_calendar)"),
    Phase("caseload_paced", "Caseload", "caseload page", seconds=PACED_SECONDS, think=THINK),
    Phase("case_paced", "CasePage", "case page", seconds=PACED_SECONDS, think=THINK),
    Phase("calendar_paced", "Calendar", "calendar", seconds=PACED_SECONDS, think=THINK),
    Phase("dashboard", "Dashboard", "dashboard, 12 weeks and a whole year in turn"),
    Phase("dashboard_paced", "Dashboard", "dashboard", seconds=PACED_SECONDS, think=THINK),
    Phase("journey", "FormJourney", "public form: whole journey (5 steps, sent, confirmation)"),
]
BURST = Phase("burst", "BookingBurst", "booking contention", BURST_ATTEMPTS, 90)
# Request names in bench/web_load.py.
JOURNEY_LAST_POST = "form journey: POST check"
BURST_POST = "booking: book (burst)"
BURST_PAGE = "booking: her groups page (before the burst)"
# The database and Redis servers' processes (their CPU counts as the server side's).
SERVER_PROCESS_NAMES = {"postgres", "postmaster", "redis-server"}


# --- Signed-in sessions ------------------------------------------------------------------


def signed_in_session(user, authenticator_id: int) -> str:
    """A session as allauth leaves it after password and TOTP: Django's three auth keys,
    allauth's record of both steps and a browser-session expiry. Returns its key (the
    ``sid`` cookie)."""
    now = time.time()
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = AUTH_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[ALLAUTH_METHODS] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator_id, "type": "totp"},
    ]
    store[ALLAUTH_METHODS_USER] = str(user.pk)
    store.set_expiry(0)  # ACCOUNT_SESSION_REMEMBER = False: ends when the browser closes
    store.create()
    return store.session_key


def authenticator_ids() -> dict[int, int]:
    return dict(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", "pk")
    )


def burst_session(seeded) -> GroupSession:
    """Three weeks ahead, in the evening (no seeded group overlaps it), 12 places."""
    day = timezone.localdate() + timedelta(days=21)
    starts_at = web_seed.local(day, time_of_day(20, 30))
    return GroupSession.objects.create(
        programme=seeded.programme,
        venue=seeded.venue_without_creche,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        booking_cutoff=starts_at - timedelta(hours=2),
        capacity=BURST_PLACES,
        creche_places=0,
    )


def burst_cases(seeded) -> list[tuple[int, int]]:
    """(keyworker pk, case pk) for BURST_ATTEMPTS different women, from every caseload."""
    caseloads = [(pk, list(cases)) for pk, cases in seeded.open_cases.items()]
    if sum(len(cases) for _, cases in caseloads) < BURST_ATTEMPTS:
        raise RuntimeError(f"Fewer than {BURST_ATTEMPTS} open cases were seeded")
    chosen = []
    while len(chosen) < BURST_ATTEMPTS:
        for keyworker, cases in caseloads:
            if cases and len(chosen) < BURST_ATTEMPTS:
                chosen.append((keyworker, cases.pop()))
    return chosen


def plan(seeded, session: GroupSession) -> dict:
    """Everything the load process needs (bench/web_load.py reads it)."""
    mfa = authenticator_ids()
    users = {user.pk: user for user in [*seeded.keyworkers, seeded.admin]}
    load_keyworkers = seeded.keyworkers[:: len(seeded.keyworkers) // USERS][:USERS]
    steps = [
        {
            "step": step,
            "url": reverse(SELF["url_name"], kwargs={"step": step}),
            "fields": [
                [f"{step}-{name}", item]
                for name, value in VALID_ANSWERS[step].items()
                for item in (value if isinstance(value, list) else [value])
            ],
        }
        for step in SELF_STEPS
    ]
    return {
        "minimal_path": f"/{MINIMAL_PATH}",
        "markers": MARKERS,
        "form": {
            "steps": steps,
            "current_step_field": f"{SELF['prefix']}-current_step",
            "done_url": reverse("public:referral_confirmation"),
        },
        "keyworkers": [
            {"sid": signed_in_session(user, mfa[user.pk]), "cases": seeded.open_cases[user.pk]}
            for user in load_keyworkers
        ],
        "admins": [
            {"sid": signed_in_session(seeded.admin, mfa[seeded.admin.pk])} for _ in range(USERS)
        ],
        # The team leads and the service admin: who reads the dashboard.
        "report_readers": [
            {"sid": signed_in_session(user, mfa[user.pk])} for user in [*seeded.leads, seeded.admin]
        ],
        "year_ago": (timezone.localdate() - timedelta(days=365)).isoformat(),
        "today": timezone.localdate().isoformat(),
        "burst": {
            "session": session.pk,
            "programme": session.programme_id,
            "attempts": [
                {"sid": signed_in_session(users[keyworker], mfa[keyworker]), "case": case}
                for keyworker, case in burst_cases(seeded)
            ],
        },
    }


# --- The server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(*, port: int, static_root: str) -> dict[str, str]:
    """Haven's production profile on the benchmark's databases; messages to the console
    (nothing leaves this machine), whatever the caller's environment says."""
    env = {
        **os.environ,
        "HAVEN_ENV": "production",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "SERVICE_PHONE": "0121 496 0000",
        "STATIC_ROOT": static_root,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "EMAIL_URL": "consolemail://",
        "MESSAGES_SMS_BACKEND": "console",
        "MESSAGES_EMAIL_BACKEND": "console",
        # One IP address sends every referral here, and fills the form at once.
        "REFERRAL_SUBMIT_RATE": "100000/m",
        "REFERRAL_MIN_SECONDS_TO_FILL": "0",
    }
    # config/gunicorn.py's own rule (2 x cores + 1), not a value left in the caller's shell.
    env.pop("WEB_CONCURRENCY", None)
    return env


def collect_static(env: dict[str, str]) -> float:
    started = time.monotonic()
    with running(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        log_path=RESULTS_DIR / "web-collectstatic.log",
    ) as process:
        if process.wait(timeout=300) != 0:
            raise RuntimeError(
                f"collectstatic failed:\n{log_tail(RESULTS_DIR / 'web-collectstatic.log')}"
            )
    return time.monotonic() - started


def gunicorn_command() -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"]


def worker_command() -> list[str]:
    return [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool", "prefork", "--concurrency", "2", "--hostname", "web@%h",
        "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip


class Client:
    """A browser enough for the sign-in check and the warm-up: keeps its cookies (Secure
    ones too) and speaks HTTP to gunicorn, saying the request came over HTTPS."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields=None) -> tuple[int, str, str]:
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers.update(
                {
                    "Origin": "null",
                    "Sec-Fetch-Site": "same-origin",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
            )
        server = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            server.request(method, path, body=body, headers=headers)
            response = server.getresponse()
            text = response.read().decode(errors="replace")
            for raw in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(raw)
                for name, morsel in jar.items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, response.headers.get("Location", ""), text
        finally:
            server.close()


def wait_until_serving(port: int, server, worker) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        for process, log in ((server, "web-gunicorn.log"), (worker, "web-worker.log")):
            if process.poll() is not None:
                raise RuntimeError(f"{log} process exited:\n{log_tail(RESULTS_DIR / log)}")
        try:
            status, _, _ = Client(port).request("GET", "/healthz")
        except OSError:
            status = 0
        if status == 200 and app.control.ping(timeout=1.0):
            return
        time.sleep(0.2)
    raise RuntimeError(f"Not serving in time:\n{log_tail(RESULTS_DIR / 'web-gunicorn.log')}")


class MemorySampler(threading.Thread):
    """Each gunicorn worker's peak resident memory, sampled while the server runs."""

    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.peaks: dict[int, int] = {}
        self.first_seen: dict[int, float] = {}  # pid -> when (time.time())
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(SAMPLE_EVERY_SECONDS):
            self.sample()

    def sample(self):
        try:
            workers = psutil.Process(self.master_pid).children()
        except psutil.Error:
            return
        for worker in workers:
            try:
                peak = peak_rss_bytes(worker.pid)
            except (OSError, psutil.Error):
                continue
            self.peaks[worker.pid] = max(peak, self.peaks.get(worker.pid, 0))
            self.first_seen.setdefault(worker.pid, time.time())

    def started_between(self, start: float, end: float) -> int:
        """Workers started (recycled ones replaced) in that time."""
        return sum(1 for seen in self.first_seen.values() if start <= seen < end)

    def stop(self) -> dict[int, int]:
        self.stopping.set()
        self.join()
        self.sample()
        return self.peaks


# --- Sign-in check and warm-up -----------------------------------------------------------


def current_totp_code() -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(web_seed.TOTP_SECRET, counter))


def field_value(page: str, name: str) -> str:
    marker = f'name="{name}" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def sign_in_through_pages(port: int, user, fabricated_sid: str) -> dict:
    """Sign in with password and TOTP through allauth's pages, open the caseload, and
    compare the session allauth made with the ones the load users are given."""
    browser = Client(port)
    _, _, page = browser.request("GET", reverse("account_login"))
    status, where, _ = browser.request(
        "POST",
        reverse("account_login"),
        [
            ("login", user.email),
            ("password", web_seed.PASSWORD),
            ("csrfmiddlewaretoken", field_value(page, "csrfmiddlewaretoken")),
        ],
    )
    if status != 302 or "authenticate" not in where:
        raise RuntimeError(f"Sign-in with password answered {status} {where}")
    _, _, page = browser.request("GET", where)
    status, where, _ = browser.request(
        "POST",
        where,
        [
            ("code", current_totp_code()),
            ("csrfmiddlewaretoken", field_value(page, "csrfmiddlewaretoken")),
        ],
    )
    status, _, page = browser.request("GET", reverse("home:staff_home"))
    if status != 200 or MARKERS["caseload"] not in page:
        raise RuntimeError(f"The caseload after signing in answered {status}")
    real = SessionStore(browser.cookies["sid"]).load()
    fabricated = SessionStore(fabricated_sid).load()
    missing = sorted(set(real) - set(fabricated))
    if missing or real[BACKEND_SESSION_KEY] != fabricated[BACKEND_SESSION_KEY]:
        raise RuntimeError(f"The load users' sessions lack {missing} or differ in backend")
    return {"signed_in_through_pages": user.email, "session_keys": sorted(real)}


def warm_up(port: int, the_plan: dict) -> None:
    """Templates compiled and encryption keys derived in every worker before measuring."""
    keyworker, admin = the_plan["keyworkers"][0], the_plan["admins"][0]
    attempt = the_plan["burst"]["attempts"][0]
    signed_in = [
        (keyworker["sid"], reverse("home:staff_home")),
        (keyworker["sid"], reverse("referrals:case_detail", args=[keyworker["cases"][0]])),
        (admin["sid"], reverse("sessions_booking:setup_calendar")),
        (attempt["sid"], reverse("sessions_booking:book_sessions", args=[attempt["case"]])),
        (the_plan["report_readers"][0]["sid"], reverse("reports:dashboard")),
    ]
    first_step = the_plan["form"]["steps"][0]["url"]

    def visit(number: int) -> None:
        client = Client(port)
        client.request("GET", the_plan["minimal_path"])
        client.request("GET", first_step)
        sid, path = signed_in[number % len(signed_in)]
        client.cookies = {"sid": sid}
        client.request("GET", path)

    with ThreadPoolExecutor(10) as pool:
        list(pool.map(visit, range(WARM_UP_REQUESTS)))


# --- Load phases -------------------------------------------------------------------------


@dataclass
class Stats:
    requests: int
    seconds: float
    per_second: float
    p50: float
    p95: float
    p99: float
    errors: int
    server_errors: int
    statuses: dict
    error_samples: list
    cpu: dict = field(default_factory=dict)  # cores used during the phase, by whom

    def latency(self) -> str:
        return f"p50 {self.p50:.0f} / p95 {self.p95:.0f} / p99 {self.p99:.0f} ms"


def percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of them at or below it."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summarise(records: list, seconds: float) -> Stats:
    times = sorted(r[2] for r in records)
    failed = [r for r in records if r[4]]
    return Stats(
        requests=len(records),
        seconds=round(seconds, 2),
        per_second=len(records) / seconds if seconds > 0 else 0.0,
        p50=percentile(times, 0.50),
        p95=percentile(times, 0.95),
        p99=percentile(times, 0.99),
        errors=len(failed),
        server_errors=sum(1 for r in records if r[3] >= 500),
        statuses=dict(Counter(str(r[3]) for r in records)),
        error_samples=sorted({f"{r[0]}: {r[5]}" for r in failed})[:5],
    )


def cpu_seconds() -> dict[str, float]:
    """CPU seconds so far: the whole machine (busy), this benchmark's own processes (this
    one and its descendants, with the finished ones it or gunicorn waited for: Locust,
    recycled workers) and the database and Redis servers."""
    machine = psutil.cpu_times()
    own = 0.0
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            t = process.cpu_times()
        except psutil.Error:
            continue
        own += t.user + t.system + t.children_user + t.children_system
    servers = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        t = process.info["cpu_times"]
        if t and process.info["name"] in SERVER_PROCESS_NAMES:
            servers += t.user + t.system + t.children_user + t.children_system
    busy = machine.user + machine.nice + machine.system + machine.irq + machine.softirq
    return {"busy": busy, "own": own, "servers": servers}


def cores_used(before: dict, after: dict, *, load_seconds: float, seconds: float) -> dict:
    """Cores used on average: by the load generator (Locust), by the server side (gunicorn,
    Celery, PostgreSQL, Redis, this process) and by anything else on the machine."""
    busy, own, servers = (after[k] - before[k] for k in ("busy", "own", "servers"))
    return {
        "load_generator": round(load_seconds / seconds, 2),
        "server_side": round((own - load_seconds + servers) / seconds, 2),
        "everything_else": round(max(0.0, busy - own - servers) / seconds, 2),
    }


def run_locust(phase: Phase, *, port: int, plan_path: Path) -> dict:
    """One Locust run in its own process; its requests, measurement window and CPU use."""
    out_path = RESULTS_DIR / f"web-{phase.key}.json.tmp"
    out_path.unlink(missing_ok=True)
    log_path = RESULTS_DIR / f"web-locust-{phase.key}.log"
    command = [
        sys.executable, "-m", "locust", "-f", str(LOAD_FILE), "--headless", "--only-summary",
        "--users", str(phase.users), "--spawn-rate", str(phase.users),
        "--run-time", f"{phase.seconds}s", "--host", f"http://127.0.0.1:{port}",
        "--stop-timeout", str(STOP_TIMEOUT_SECONDS), "--exit-code-on-error", "0",
        "--loglevel", "WARNING", phase.user_class,
    ]  # fmt: skip
    env = {
        **os.environ,
        "BENCH_WEB_PLAN": str(plan_path),
        "BENCH_WEB_OUT": str(out_path),
        "BENCH_WEB_THINK": ",".join(map(str, phase.think or ())),
    }
    wall_start, started, cpu_before = time.time(), time.monotonic(), cpu_seconds()
    rusage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with running(command, env=env, log_path=log_path) as load:
        load.wait(timeout=phase.seconds + 120)
    rusage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_after, seconds = cpu_seconds(), time.monotonic() - started
    if not out_path.exists():
        raise RuntimeError(f"Locust wrote no results for {phase.key}:\n{log_tail(log_path)}")
    output = json.loads(out_path.read_text())
    out_path.unlink()
    load_seconds = (rusage_after.ru_utime - rusage_before.ru_utime) + (
        rusage_after.ru_stime - rusage_before.ru_stime
    )
    output["cpu"] = cores_used(cpu_before, cpu_after, load_seconds=load_seconds, seconds=seconds)
    output["wall"] = [wall_start, time.time()]
    return output


def measured(output: dict, *, whole_run: bool = False, names=None) -> Stats:
    """Requests started once every user was running until the stop began (or all)."""
    window = output["window"]
    start, end = window["start"] or 0.0, window["end"]
    records = [
        r
        for r in output["records"]
        if (whole_run or start <= (r[1] or 0) < end) and (names is None or r[0] in names)
    ]
    if whole_run:
        start = min((r[1] for r in records), default=window["end"])
    stats = summarise(records, window["end"] - start)
    stats.cpu = output["cpu"]
    return stats


def journeys_sent(output: dict, *, in_window: bool) -> int:
    """Journeys whose last step was answered by the redirect to the confirmation page."""
    window = output["window"]
    start, end = ((window["start"] or 0.0), window["end"]) if in_window else (0.0, math.inf)
    return sum(
        1
        for r in output["records"]
        if r[0] == JOURNEY_LAST_POST and r[3] == 302 and start <= (r[1] or 0) < end
    )


# --- What happened -----------------------------------------------------------------------


@dataclass
class Outcome:
    phases: dict  # key -> Stats
    journeys_in_window: int
    journeys: int  # all the journeys sent, ramp-up included
    referrals_stored: int  # referrals created from the journey phase's start
    burst: Stats
    burst_page: Stats
    burst_statuses: dict
    worker_peaks: dict  # pid -> bytes
    workers: int
    worker_starts: dict  # phase -> gunicorn workers started during it (max_requests)


def burst_statuses(session: GroupSession) -> dict:
    return dict(
        Booking.objects.filter(session=session)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )


def phase_row(phase: Phase, stats: Stats, outcome: Outcome) -> Row:
    ceiling = outcome.phases["minimal"].per_second
    share = stats.per_second / ceiling if ceiling else 0.0
    errors = f"{stats.errors} errors of {stats.requests:,}"
    throughput = f"{stats.per_second:.0f} req/s ({share:.0%} of the ceiling)"
    label = f"web: {phase.label}, {phase.users} users, no think time"
    if phase.key == "minimal":
        return Row(label, f"{stats.per_second:.0f} req/s; {stats.latency()}; {errors}")
    if phase.key == "form":
        return Row(
            label,
            f"{throughput}; {stats.latency()}; {errors}",
            f"≥ {FORM_SHARE_TARGET:.0%} of the ceiling, no errors",
            share >= FORM_SHARE_TARGET and stats.errors == 0,
        )
    if phase.key == "journey":
        per_second = outcome.journeys_in_window / stats.seconds if stats.seconds else 0.0
        return Row(
            label,
            f"{per_second:.1f} referrals/s; {throughput}; {stats.latency()}; {errors}; "
            f"{outcome.referrals_stored:,} referrals stored for {outcome.journeys:,} sent",
        )
    if phase.think:
        low, high = phase.think
        target = DASHBOARD_P95_TARGET_MS if phase.user_class == "Dashboard" else P95_TARGET_MS
        return Row(
            f"web: {phase.label}, {phase.users} users pausing {low} to {high} s between pages",
            f"{stats.latency()}; {errors} ({stats.per_second:.1f} req/s)",
            f"p95 < {target} ms, no errors",
            stats.p95 < target and stats.errors == 0,
        )
    return Row(label, f"{throughput}; {stats.latency()}; {errors}")


def rows(outcome: Outcome) -> list[Row]:
    result = [phase_row(phase, outcome.phases[phase.key], outcome) for phase in PHASES]
    confirmed = outcome.burst_statuses.get(BookingStatus.CONFIRMED, 0)
    waitlisted = outcome.burst_statuses.get(BookingStatus.WAITLISTED, 0)
    burst = outcome.burst
    result.append(
        Row(
            f"web: booking contention, {BURST_ATTEMPTS} simultaneous attempts at "
            f"{BURST_PLACES} places",
            f"{confirmed} confirmed, {waitlisted} waitlisted (in the DB); "
            f"{burst.server_errors} 5xx, {burst.errors} errors of {burst.requests}; "
            f"{burst.latency()}",
            f"exactly {BURST_PLACES} confirmed, no 5xx",
            confirmed == BURST_PLACES and burst.server_errors == 0,
        )
    )
    peaks = sorted(outcome.worker_peaks.values(), reverse=True)
    highest = peaks[0] if peaks else 0
    result.append(
        Row(
            f"web: gunicorn worker peak RSS ({outcome.workers} workers; "
            f"{len(peaks)} worker processes over the run, as max_requests recycles them)",
            f"highest {highest / MIB:.0f} MiB, lowest {peaks[-1] / MIB if peaks else 0:.0f} MiB",
            f"< {WORKER_MEMORY_TARGET_BYTES / MIB:.0f} MiB (150 MB) each",
            bool(peaks) and highest < WORKER_MEMORY_TARGET_BYTES,
        )
    )
    others = {key: stats.cpu.get("everything_else", 0.0) for key, stats in outcome.phases.items()}
    busiest = max(others, key=others.get)
    result.append(
        Row(
            "web: CPU used by other processes during the load phases (of "
            f"{os.cpu_count()} cores; numbers above are lower when it is not ~0)",
            f"{sum(others.values()) / len(others):.2f} cores on average, "
            f"{others[busiest]:.2f} at most ({busiest})",
        )
    )
    return result


def details(outcome: Outcome, extra: dict) -> dict:
    return {
        **extra,
        "users_per_phase": USERS,
        "phase_seconds": {phase.key: phase.seconds for phase in PHASES},
        "think_time_seconds": {phase.key: phase.think for phase in PHASES if phase.think},
        "gunicorn_workers": outcome.workers,
        "gunicorn_command": " ".join(["python", *gunicorn_command()[1:]]),
        "celery_command": " ".join(["python", *worker_command()[1:]]),
        "phases": {key: asdict(stats) for key, stats in outcome.phases.items()},
        "journeys_sent": outcome.journeys,
        "journey_referrals_stored": outcome.referrals_stored,
        "burst": asdict(outcome.burst),
        "burst_page_before": asdict(outcome.burst_page),
        "burst_bookings_in_db": outcome.burst_statuses,
        "gunicorn_workers_started_per_phase": outcome.worker_starts,
        "worker_peak_rss_mib": sorted(
            (round(p / MIB, 1) for p in outcome.worker_peaks.values()), reverse=True
        ),
        "logs": "bench/results/web-*.log (not committed)",
    }


def vacuum_analyze() -> float:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def run() -> Result:
    started = time.monotonic()
    seeded = web_seed.seed()
    seed_seconds = time.monotonic() - started
    analyze_seconds = vacuum_analyze()
    session = burst_session(seeded)
    the_plan = plan(seeded, session)
    RESULTS_DIR.mkdir(exist_ok=True)
    plan_path = RESULTS_DIR / "web-plan.json.tmp"
    plan_path.write_text(json.dumps(the_plan))
    port = free_port()
    outputs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="haven-bench-static-") as static_root:
        env = production_env(port=port, static_root=static_root)
        static_seconds = collect_static(env)
        web_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.web_settings"}
        with (
            running(worker_command(), env=env, log_path=RESULTS_DIR / "web-worker.log") as worker,
            running(
                gunicorn_command(), env=web_env, log_path=RESULTS_DIR / "web-gunicorn.log"
            ) as server,
        ):
            sampler = MemorySampler(server.pid)
            sampler.start()
            try:
                wait_until_serving(port, server, worker)
                workers = len(psutil.Process(server.pid).children())
                check_user = seeded.keyworkers[1]
                sign_in = sign_in_through_pages(port, check_user, the_plan["admins"][0]["sid"])
                warm_up(port, the_plan)
                for phase in PHASES:
                    if phase.key == "journey":
                        journey_started = timezone.now()
                    outputs[phase.key] = run_locust(phase, port=port, plan_path=plan_path)
                outputs[BURST.key] = run_locust(BURST, port=port, plan_path=plan_path)
            finally:
                peaks = sampler.stop()
    plan_path.unlink(missing_ok=True)
    burst = outputs.pop(BURST.key)
    outcome = Outcome(
        phases={key: measured(output) for key, output in outputs.items()},
        journeys_in_window=journeys_sent(outputs["journey"], in_window=True),
        journeys=journeys_sent(outputs["journey"], in_window=False),
        referrals_stored=Referral.objects.filter(created_at__gte=journey_started).count(),
        burst=measured(burst, whole_run=True, names={BURST_POST}),
        burst_page=measured(burst, whole_run=True, names={BURST_PAGE}),
        burst_statuses=burst_statuses(session),
        worker_peaks=peaks,
        workers=workers,
        worker_starts={
            key: sampler.started_between(*output["wall"]) for key, output in outputs.items()
        },
    )
    extra = {
        "seeded": seeded.counts,
        "seed_seconds": round(seed_seconds, 1),
        "vacuum_analyze_seconds": round(analyze_seconds, 1),
        "collectstatic_seconds": round(static_seconds, 1),
        "sign_in_check": sign_in,
        "settings": "HAVEN_ENV=production, DJANGO_SETTINGS_MODULE=bench.web_settings",
        "relaxed": {"REFERRAL_SUBMIT_RATE": "100000/m", "REFERRAL_MIN_SECONDS_TO_FILL": "0"},
        "seconds": round(time.monotonic() - started, 1),
        "cpus": os.cpu_count(),
    }
    return Result("web", rows(outcome), details(outcome, extra))
