"""The Locust users of the HTTP benchmarks: bench/web.py runs Locust headless on this file,
in a process of its own, once per phase, naming the user class of that phase.

Users send their next request as soon as the last is answered, or, with BENCH_WEB_THINK
("1,5"), after a pause of 1 to 5 seconds, starting at moments spread over the longest
pause. It needs no Django: what to ask for (paths, session cookies, cases, answers) is in the
JSON file named by BENCH_WEB_PLAN, and every request (name, start, time in ms, status, whether
it failed, why) is written to BENCH_WEB_OUT when the phase has stopped, with the moment all
users were running and the moment the stop began: the measurement is the requests started
between the two (the ramp-up is left out; a user finishes what she started, so every
journey begun is sent).

Like the load balancer in front of production, every request says
``X-Forwarded-Proto: https``. Production's cookies are ``Secure``, which an HTTP client
keeps off a plain-HTTP connection, so each user keeps its cookies itself and sends them in
a ``Cookie`` header. Form posts carry what a browser sends under Haven's
``Referrer-Policy: no-referrer``: ``Origin: null`` and ``Sec-Fetch-Site: same-origin``,
with the CSRF token read from the page, as a browser would.
"""

import itertools
import json
import os
import random
import re
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["BENCH_WEB_PLAN"]).read_text())
OUT = Path(os.environ["BENCH_WEB_OUT"])
HTTPS = {"X-Forwarded-Proto": "https"}
FORM_POST = {
    **HTTPS,
    "Origin": "null",
    "Sec-Fetch-Site": "same-origin",
    "Content-Type": "application/x-www-form-urlencoded",
}
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# "1,5": each user pauses 1 to 5 seconds between pages; unset: no pause at all.
THINK = [float(s) for s in os.environ.get("BENCH_WEB_THINK", "").split(",") if s]
BURST_READY_SECONDS = 120

# --- What happened: every request, and when the measurement started and stopped ---------

records: list = []
window: dict = {"start": None, "end": None}


@events.spawning_complete.add_listener
def measure_from_now(**_kwargs):
    window["start"] = time.time()


@events.request.add_listener
def record(name, response_time, response=None, exception=None, start_time=None, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    error = str(exception)[:200] if exception else None
    records.append([name, start_time, round(response_time, 3), status, bool(exception), error])


@events.test_stopping.add_listener
def measure_until_now(**_kwargs):
    window["end"] = time.time()


@events.test_stop.add_listener
def write_records(**_kwargs):
    """Once the users have finished what they were doing (Locust's --stop-timeout)."""
    window["end"] = window["end"] or time.time()
    OUT.write_text(json.dumps({"window": window, "records": records}))


# --- A browser-like user ---------------------------------------------------------------


class Cookies(dict):
    """The cookies the server set (Secure ones included), sent back in a Cookie header."""

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.items())

    def update_from(self, response) -> None:
        headers = getattr(response, "headers", None)
        for raw in headers.getlist("set-cookie") if headers else []:
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self[name] = morsel.value
                else:
                    self.pop(name, None)


class Browser(FastHttpUser):
    abstract = True
    # No think time: the next request as soon as one is answered; or a person's pause.
    wait_time = between(*THINK) if THINK else constant(0)
    numbers = itertools.count()

    def on_start(self):
        self.number = next(self.numbers)
        self.cookies = Cookies()
        if THINK:  # people do not all start at the same moment
            gevent.sleep(random.uniform(0, THINK[1]))  # noqa: S311  # nosec B311

    def _send(self, method, path, *, name, expect, marker=None, body=None):
        headers = dict(FORM_POST if method == "POST" else HTTPS)
        if self.cookies:
            headers["Cookie"] = self.cookies.header()
        with self.client.request(
            method, path, name=name, data=body, headers=headers,
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            self.cookies.update_from(response)
            if response.status_code != expect:
                where = response.headers.get("location", "") if response.headers else ""
                response.failure(f"{response.status_code} (wanted {expect}) {where}".strip())
            elif marker and marker not in (response.text or ""):
                response.failure(f"{marker!r} not in the page")
            return response

    def get(self, path, *, name, expect=200, marker=None):
        return self._send("GET", path, name=name, expect=expect, marker=marker)

    def post(self, path, fields, *, name, expect=302, token=None):
        body = urlencode([*fields, ("csrfmiddlewaretoken", token or "")])
        return self._send("POST", path, name=name, expect=expect, body=body)


def csrf_token(response) -> str | None:
    found = CSRF_TOKEN.search(response.text or "")
    return found.group(1) if found else None


def pick(items: list, number: int):
    return items[number % len(items)]


# --- One class per phase -----------------------------------------------------------------


class MinimalView(Browser):
    @task
    def minimal(self):
        self.get(PLAN["minimal_path"], name="minimal view", marker="ok")


class FormFirstPage(Browser):
    """A new visitor (no cookies) opening the self-referral form."""

    @task
    def first_page(self):
        self.cookies = Cookies()
        form = PLAN["form"]
        self.get(form["steps"][0]["url"], name="form: first page", marker="csrfmiddlewaretoken")


class FormJourney(Browser):
    """A new visitor filling in every step of the self-referral form and sending it: each
    step's page (GET), her answers (POST, answered by a redirect to the next step), then
    the confirmation page."""

    @task
    def journey(self):
        self.cookies = Cookies()
        form = PLAN["form"]
        page = self.get(form["steps"][0]["url"], name="form journey: GET about")
        for step in form["steps"]:
            token = csrf_token(page)
            if page.status_code != 200 or token is None:
                return
            fields = [(form["current_step_field"], step["step"]), *step["fields"]]
            answered = self.post(
                step["url"], fields, name=f"form journey: POST {step['step']}", token=token
            )
            where = answered.headers.get("location") if answered.headers else None
            if answered.status_code != 302 or not where:
                return
            following = form["done_url"] if where == form["done_url"] else where
            label = "sent" if where == form["done_url"] else where.strip("/").split("/")[-1]
            page = self.get(following, name=f"form journey: GET {label}")


class Caseload(Browser):
    def on_start(self):
        super().on_start()
        self.cookies["sid"] = pick(PLAN["keyworkers"], self.number)["sid"]

    @task
    def caseload(self):
        self.get("/staff/", name="caseload (staff_home)", marker=PLAN["markers"]["caseload"])


class CasePage(Browser):
    def on_start(self):
        super().on_start()
        keyworker = pick(PLAN["keyworkers"], self.number)
        self.cookies["sid"] = keyworker["sid"]
        self.cases = itertools.cycle(keyworker["cases"])

    @task
    def case(self):
        pk = next(self.cases)
        self.get(f"/staff/cases/{pk}/", name="case page", marker=PLAN["markers"]["case"])


class Calendar(Browser):
    def on_start(self):
        super().on_start()
        self.cookies["sid"] = pick(PLAN["admins"], self.number)["sid"]

    @task
    def calendar(self):
        self.get("/staff/groups/", name="calendar (config_calendar)", marker="/staff/groups/")


class Dashboard(Browser):
    """A team lead or the service admin, opening the dashboard for the last 12 weeks and
    for the whole year in turn."""

    def on_start(self):
        super().on_start()
        self.cookies["sid"] = pick(PLAN["report_readers"], self.number)["sid"]
        self.ranges = itertools.cycle(["", f"?start={PLAN['year_ago']}&end={PLAN['today']}"])

    @task
    def dashboard(self):
        query = next(self.ranges)
        name = "dashboard, a year" if query else "dashboard, 12 weeks"
        self.get(f"/staff/reports/{query}", name=name, marker=PLAN["markers"]["dashboard"])


class BookingBurst(Browser):
    """Each user is one keyworker's browser tab on one woman's "Groups" page, opened
    beforehand (its CSRF token); once every tab is open, all press "Book" for the same
    session at the same moment. Each presses once, then the phase ends."""

    ready = Event()
    prepared = itertools.count(1)
    finished = itertools.count(1)

    def on_start(self):
        super().on_start()
        burst = PLAN["burst"]
        self.attempt = pick(burst["attempts"], self.number)
        self.cookies["sid"] = self.attempt["sid"]
        try:
            page = self.get(
                f"/staff/cases/{self.attempt['case']}/groups/?programme={burst['programme']}",
                name="booking: her groups page (before the burst)",
            )
            self.token = csrf_token(page)
        finally:
            if next(self.prepared) == len(burst["attempts"]):
                type(self).ready.set()

    @task
    def book(self):
        burst = PLAN["burst"]
        type(self).ready.wait(timeout=BURST_READY_SECONDS)
        fields = [
            ("programme", burst["programme"]),
            ("session", burst["session"]),
            ("children_in_creche", "0"),
            ("children_ages", ""),
        ]
        try:
            self.post(
                f"/staff/cases/{self.attempt['case']}/book/",
                fields,
                name="booking: book (burst)",
                token=self.token,
            )
        finally:
            if next(self.finished) == len(burst["attempts"]):
                gevent.spawn_later(0.5, self.environment.runner.quit)
        raise StopUser
