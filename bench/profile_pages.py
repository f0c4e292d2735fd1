"""Server CPU per request for the pages `make bench` loads, rendered in this process.

    make profile                                       # seed a database of its own, then measure
    make profile PROFILE_ARGS=--reuse-db               # measure again on the database seeded before
    make profile PROFILE_ARGS="-n 200 caseload"        # only these pages, this many requests each
    make profile PROFILE_ARGS="--cprofile 40 calendar" # and its costliest functions

Locust's numbers (bench/web.py) move with whatever else the machine is doing; the CPU time
this process spends on one request does not, much. Each request goes through Haven's whole
WSGI stack (every middleware, the view, the templates) as gunicorn would hand it over, with
the production profile (HAVEN_ENV=production, DEBUG off, cached template loaders, hashed
static files collected into a temporary directory), on a year of one region's data
(bench/web_seed.py). Reported per page: the mean and median CPU time of this process
(``time.process_time``, which leaves out PostgreSQL's own work), the mean wall time
(PostgreSQL's included) and the queries per request. ``--cprofile`` lists each page's
costliest functions, timed by CPU too (database waits would swamp a wall-clock profile).
bench/README.md says more.

Databases: ``<name>_profile`` next to DATABASE_URL's database, and Redis database
PROFILE_REDIS_DB (default 14) on REDIS_URL's server, emptied before and after. The database
is kept afterwards, so ``--reuse-db`` can measure again on the same data (e.g. before and
after a change); the secret key and field-encryption salt are fixed throwaway values for
that reason. Nothing else is read or written.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import psycopg

from bench.environment import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    Services,
    create_database,
    database_name,
    flush_redis,
    redis_db,
    with_path,
)

DEFAULT_PROFILE_REDIS_DB = 14
DEFAULT_REQUESTS = 100
WARM_UP_REQUESTS = 10
USERS = 20  # keyworkers whose sessions and cases are used in turn, as in bench/web.py
HOST = "127.0.0.1"
# A throwaway database's keys, fixed so that --reuse-db can read what an earlier run stored.
SECRET_KEY = "profile-pages-only-" + "x" * 40
FIELD_ENCRYPTION_SALT = "profile-pages-only-salt"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def profile_services() -> Services:
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    profile_redis = int(os.environ.get("PROFILE_REDIS_DB", DEFAULT_PROFILE_REDIS_DB))
    if profile_redis == redis_db(redis_url):
        raise SystemExit(f"PROFILE_REDIS_DB={profile_redis} is REDIS_URL's own database")
    return Services(
        given_database_url=database_url,
        database_url=with_path(database_url, f"/{database_name(database_url)}_profile"),
        redis_url=with_path(redis_url, f"/{profile_redis}"),
        secret_key=SECRET_KEY,
        field_encryption_salt=FIELD_ENCRYPTION_SALT,
    )


def production_env(services: Services, static_root: str) -> dict[str, str]:
    return {
        **services.env,
        "DJANGO_SETTINGS_MODULE": "bench.web_settings",  # Haven's, plus the minimal view
        "HAVEN_ENV": "production",
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "SERVICE_PHONE": "0121 496 0000",
        "STATIC_ROOT": static_root,
        "EMAIL_URL": "consolemail://",
        "MESSAGES_SMS_BACKEND": "console",
        "MESSAGES_EMAIL_BACKEND": "console",
        # As in bench/web.py: one address sends every referral, and fills the form at once.
        "REFERRAL_SUBMIT_RATE": "100000/m",
        "REFERRAL_MIN_SECONDS_TO_FILL": "0",
    }


# --- Requests through the WSGI stack -------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict
    body: str


class Browser:
    """Calls Haven's WSGI application the way gunicorn does, keeping cookies and saying the
    request came over HTTPS (as the load balancer does)."""

    def __init__(self, application, cookies=None):
        self.application = application
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, method: str, path: str, fields=None) -> Answer:
        body = urlencode(fields or [], doseq=True).encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": HOST,
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": HOST,
            "HTTP_HOST": HOST,
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_USER_AGENT": "bench.profile_pages",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
            # What a browser sends under Referrer-Policy: no-referrer (bench/web_load.py).
            environ["HTTP_ORIGIN"] = "null"
            environ["HTTP_SEC_FETCH_SITE"] = "same-origin"
        started: dict = {}

        def start_response(status, headers, exc_info=None):
            started["status"] = int(status.split()[0])
            started["headers"] = headers

        chunks = self.application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()  # request_finished, as a WSGI server calls it
        headers: dict = {}
        for name, value in started["headers"]:
            headers.setdefault(name.lower(), []).append(value)
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        return Answer(started["status"], headers, content.decode())


def expect(answer: Answer, status: int, marker: str | None, what: str) -> None:
    if answer.status != status or (marker and marker not in answer.body):
        raise RuntimeError(
            f"{what}: expected {status} with {marker!r}, got {answer.status}: "
            f"{answer.headers.get('location')} {answer.body[:500]}"
        )


# --- The pages ---------------------------------------------------------------------------


@dataclass
class Measured:
    page: str
    requests: int
    cpu_ms: list
    wall_ms: float
    queries: float


def time_requests(name: str, count: int, one_request) -> Measured:
    """``one_request()`` makes one or more requests and returns how many it made."""
    from django.db import connection

    queries = 0

    def counting(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    for _ in range(WARM_UP_REQUESTS):
        one_request()
    cpu, made = [], 0
    wall = 0.0
    with connection.execute_wrapper(counting):
        while made < count:
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            n = one_request()
            cpu.append((time.process_time() - cpu_started) * 1000 / n)
            wall += (time.perf_counter() - wall_started) * 1000
            made += n
    return Measured(name, made, cpu, wall / made, queries / made)


def load_users():
    """The keyworkers bench/web.py signs in (every third), their open cases, the admin."""
    from accounts.models import User
    from core.permissions import Role
    from referrals.choices import Status
    from referrals.models import Referral

    keyworkers = list(User.objects.filter(groups__name=Role.KEYWORKER.group_name).order_by("pk"))
    chosen = keyworkers[:: max(1, len(keyworkers) // USERS)][:USERS]
    cases = {
        kw.pk: list(
            Referral.objects.filter(assigned_to=kw)
            .exclude(status=Status.CLOSED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for kw in chosen
    }
    admin = User.objects.filter(groups__name=Role.SERVICE_ADMIN.group_name).order_by("pk")[0]
    return chosen, cases, admin


def signed_in_cookie(user) -> dict:
    from allauth.mfa.models import Authenticator

    from bench.web import signed_in_session

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return {"sid": signed_in_session(user, authenticator.pk)}


def page_runners(application) -> dict:
    """name -> a function making one request (or a whole journey), checking its answer."""
    from django.urls import reverse

    from bench.web_urls import MINIMAL_PATH
    from tests.support.referral_journey import SELF, SELF_STEPS, VALID_ANSWERS

    keyworkers, cases, admin = load_users()
    keyworker_browsers = [Browser(application, signed_in_cookie(kw)) for kw in keyworkers]
    admin_browser = Browser(application, signed_in_cookie(admin))
    turn = {"caseload": 0, "case": 0}
    case_cycle = [
        (browser, pk)
        for n in range(max(len(c) for c in cases.values()))
        for browser, kw in zip(keyworker_browsers, keyworkers, strict=True)
        for pk in cases[kw.pk][n : n + 1]
    ]
    first_step = reverse(SELF["url_name"], kwargs={"step": SELF_STEPS[0]})
    done_url = reverse("public:referral_confirmation")

    def minimal():
        expect(Browser(application).request("GET", f"/{MINIMAL_PATH}"), 200, "ok", "minimal")
        return 1

    def form_first_page():
        answer = Browser(application).request("GET", first_step)
        expect(answer, 200, "csrfmiddlewaretoken", "form: first page")
        return 1

    def caseload():
        browser = keyworker_browsers[turn["caseload"] % len(keyworker_browsers)]
        turn["caseload"] += 1
        expect(browser.request("GET", "/staff/"), 200, "My caseload", "caseload")
        return 1

    def case():
        browser, pk = case_cycle[turn["case"] % len(case_cycle)]
        turn["case"] += 1
        expect(browser.request("GET", f"/staff/cases/{pk}/"), 200, "badge priority-", "case")
        return 1

    def calendar():
        expect(admin_browser.request("GET", "/staff/groups/"), 200, "/staff/groups/", "calendar")
        return 1

    def journey():
        """A new visitor: each step's page, its answers, then the confirmation page."""
        browser = Browser(application)
        page = browser.request("GET", first_step)
        made = 1
        for step in SELF_STEPS:
            token = CSRF_INPUT.search(page.body)
            if page.status != 200 or token is None:
                raise RuntimeError(f"journey: no form at {step}: {page.status}")
            fields = [
                (f"{SELF['prefix']}-current_step", step),
                ("csrfmiddlewaretoken", token.group(1)),
                *((f"{step}-{name}", value) for name, value in VALID_ANSWERS[step].items()),
            ]
            url = reverse(SELF["url_name"], kwargs={"step": step})
            answered = browser.request("POST", url, fields)
            where = (answered.headers.get("location") or [None])[0]
            if answered.status != 302 or not where:
                raise RuntimeError(f"journey: {step} answered {answered.status}")
            page = browser.request("GET", where)
            made += 2
        expect(page, 200, None, "journey: confirmation")
        if where != done_url:
            raise RuntimeError(f"journey ended at {where}, not {done_url}")
        return made

    return {
        "minimal": minimal,
        "form": form_first_page,
        "caseload": caseload,
        "case": case,
        "calendar": calendar,
        "journey": journey,
    }


PAGE_LABELS = {
    "minimal": "minimal Django view (the ceiling)",
    "form": "public form: first page, new visitor (GET)",
    "caseload": "keyworker's caseload (staff_home)",
    "case": "case page (her own cases in turn)",
    "calendar": "groups calendar, this week",
    "journey": "public form: whole journey, per request",
}


def report(results: list[Measured]) -> str:
    lines = [
        "| Page | Requests | CPU ms mean | CPU ms median | Wall ms mean | Queries |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {PAGE_LABELS[r.page]} | {r.requests} | {statistics.fmean(r.cpu_ms):.2f} | "
            f"{statistics.median(r.cpu_ms):.2f} | {r.wall_ms:.2f} | {r.queries:.1f} |"
        )
    return "\n".join(lines)


def print_profile(name: str, one_request, count: int, lines: int) -> None:
    profiler = cProfile.Profile(time.process_time)  # CPU only, as the table; not DB waits
    made = 0
    profiler.enable()
    while made < count:
        made += one_request()
    profiler.disable()
    print(f"\n## {PAGE_LABELS[name]}: {made} requests", file=sys.stderr)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)


@contextmanager
def referrals_left_as_they_were(page: str) -> Iterator[None]:
    """The journey sends referrals; they are deleted afterwards, so that the team queues (on
    the caseload page) are the same for the next run on a reused database."""
    from referrals.models import Referral

    last = Referral.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        if page == "journey":
            Referral.objects.filter(pk__gt=last).delete()


# --- Running -----------------------------------------------------------------------------


def database_is_seeded() -> bool:
    from django.db import connection

    from bench.web_seed import REFERRALS

    if "referrals_referral" not in connection.introspection.table_names():
        return False
    from referrals.models import Referral

    return Referral.objects.count() >= REFERRALS


def database_exists(services: Services) -> bool:
    with psycopg.connect(services.given_database_url, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [services.database_name]
        ).fetchone()
    return found is not None


def prepare_database(services: Services, *, reuse: bool) -> None:
    """A migrated database with a year of data: the one an earlier run seeded if ``reuse``
    and it is complete, else a new one."""
    import django
    from django.core.management import call_command

    if not (reuse and database_exists(services)):
        create_database(services)
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if reuse and database_is_seeded():
        print(f"Reusing the seeded database {services.database_name}", file=sys.stderr)
        return
    if reuse:  # half-made (an interrupted run): start again
        from django.db import connections

        connections.close_all()
        create_database(services)
        call_command("migrate", verbosity=0, interactive=False)
    from bench import web_seed
    from bench.web import vacuum_analyze

    print(f"Seeding {services.database_name} (about a minute)", file=sys.stderr)
    web_seed.seed()
    vacuum_analyze()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make profile PROFILE_ARGS=...",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("pages", nargs="*", metavar="PAGE", help=", ".join(PAGE_LABELS))
    parser.add_argument("-n", "--requests", type=int, default=DEFAULT_REQUESTS)
    parser.add_argument(
        "--reuse-db", action="store_true", help="measure on the database an earlier run seeded"
    )
    parser.add_argument(
        "--cprofile",
        type=int,
        metavar="LINES",
        default=0,
        help="also print each page's costliest functions (cProfile by CPU time), to stderr",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.pages) - set(PAGE_LABELS))
    if unknown:
        parser.error(f"unknown page(s): {', '.join(unknown)}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    services = profile_services()
    with tempfile.TemporaryDirectory(prefix="haven-profile-static-") as static_root:
        os.environ.update(production_env(services, static_root))
        flush_redis(services)
        try:
            prepare_database(services, reuse=args.reuse_db)
            from django.core.management import call_command
            from django.core.wsgi import get_wsgi_application

            call_command("collectstatic", interactive=False, verbosity=0)
            application = get_wsgi_application()
            runners = page_runners(application)
            results = []
            for name in args.pages or list(PAGE_LABELS):
                with referrals_left_as_they_were(name):
                    results.append(time_requests(name, args.requests, runners[name]))
                    if args.cprofile:
                        print_profile(name, runners[name], args.requests, args.cprofile)
        finally:
            from django.db import connections

            connections.close_all()
            flush_redis(services)
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
