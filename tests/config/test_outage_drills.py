"""Outage drills with production settings: gunicorn, a real Celery worker and
beat, and a Redis and a PostgreSQL that the test starts itself and stops or freezes. The
clock on the wall is measured as a person waits: each bound below is what the README
promises, with room for a busy test machine; the measured times are printed.

- Redis stopped: her Send shows her reference, twice pressed stores one referral, staff
  actions answer their normal pages, a keyworker signs in, /healthz names Redis; when Redis
  is back, every notice queued meanwhile reaches its person once.
- PostgreSQL frozen (SIGSTOP): her next page and /healthz answer a friendly 503 quickly;
  what was committed before is all there when it thaws.
"""

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.conf import global_settings, settings

from core.permissions import Role
from notices.models import Notice
from referrals.models import Referral
from sessions_booking.services.booking import book_client
from tests.support.factories import (
    TEST_PASSWORD,
    GroupSessionFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    current_totp_code,
    enable_mfa,
)
from tests.support.outage_world import (
    STRONG_SECRET,
    Processes,
    Visitor,
    collect_static,
    mails,
    production_environment,
)
from tests.support.own_services import OwnPostgres, OwnRedis
from tests.support.processes import child_process_environment
from tests.support.referral_journey import SELF, SELF_STEPS, VALID_ANSWERS, step_url

pytestmark = pytest.mark.slow

PRODUCTION_SALT = "drill-salt-not-the-development-one"
measured: dict[str, float] = {}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    mail_dir = tmp_path_factory.mktemp("unused-mail")
    environ = production_environment(root, mail_dir, FIELD_ENCRYPTION_SALTS=PRODUCTION_SALT)
    collect_static(root, environ)
    return root


@pytest.fixture
def production_keys(settings):
    """Rows this test writes are encrypted with the keys the production processes use."""
    from django.apps import apps

    def forget_field_keys():
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                field.__dict__.pop("keys", None)
                field.__dict__.pop("f", None)

    settings.SECRET_KEY = STRONG_SECRET
    settings.SALT_KEY = [PRODUCTION_SALT]
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # what production checks
    forget_field_keys()
    yield
    forget_field_keys()


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()


def send_her_referral(visitor: Visitor, steps=SELF_STEPS) -> None:
    """Every step but the last, as she fills them in."""
    visitor.get(step_url(SELF, steps[0]))
    for step in steps[:-1]:
        answers = {f"{step}-{k}": v for k, v in VALID_ANSWERS[step].items()}
        response = visitor.post(step_url(SELF, step),
                                {f"{SELF['prefix']}-current_step": step, **answers})  # fmt: skip
        assert response.status_code == 302, (step, response.text[:2000])
        visitor.get(response.headers["Location"])


def press_send(visitor: Visitor) -> "requests.Response":  # noqa: F821
    last = SELF_STEPS[-1]
    return visitor.post(step_url(SELF, last), {f"{SELF['prefix']}-current_step": last})


def sign_in(visitor: Visitor, email: str) -> None:
    visitor.get("/accounts/login/")
    response = visitor.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    visitor.get("/accounts/2fa/authenticate/")
    response = visitor.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302, response.text[:2000]
    measured["sign-in, TOTP step"] = visitor.took


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_stopped_nothing_is_lost_and_nothing_waits(
    static_root, production_keys, processes, tmp_path
):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    team = TeamFactory(name="Birmingham", postcode_districts=["B12"], is_default=True)
    keyworker = enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER},
                                       email="kw@haven.test"))  # fmt: skip
    enable_mfa(UserFactory(roles={Role.SERVICE_ADMIN}, email="admin@haven.test"))
    small = GroupSessionFactory(capacity=1, creche_places=0)
    leaving = book_client(actor=keyworker, session=small, children_in_creche=0,
                          referral=ReferralFactory(team=team, assigned_to=keyworker))  # fmt: skip
    book_client(
        actor=keyworker,
        session=small,
        children_in_creche=0,
        referral=ReferralFactory(team=team, assigned_to=keyworker),
    )  # waitlisted
    big = GroupSessionFactory(capacity=12, creche_places=0)
    for _ in range(10):
        book_client(actor=keyworker, session=big, children_in_creche=0,
                    referral=ReferralFactory(team=team, assigned_to=keyworker))  # fmt: skip

    redis = OwnRedis().start()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    environ = production_environment(
        static_root, mail_dir, FIELD_ENCRYPTION_SALTS=PRODUCTION_SALT, REDIS_URL=redis.url,
        CELERY_BROKER_URL=redis.url, REFERRAL_MIN_SECONDS_TO_FILL="0",
    )  # fmt: skip
    try:
        base = processes.gunicorn(environ)
        processes.worker_and_beat(environ)
        redis.stop()

        # Her Send: the confirmation with her reference, at once.
        her = Visitor(base)
        send_her_referral(her)
        check_page = her.last_page
        sent = press_send(her)
        measured["her Send"] = her.took
        assert sent.status_code == 302, sent.text[:2000]
        assert sent.headers["Location"] == "/refer/sent/"
        her.last_page = check_page  # the second press, from the same page
        again = press_send(her)
        assert again.headers["Location"] == "/refer/sent/"
        confirmation = her.get("/refer/sent/")
        assert confirmation.status_code == 200
        referral = Referral.objects.get(team=team, source="self", preferred_name="Jas")
        assert referral.reference[:4] in confirmation.text.replace(" ", "")
        assert Referral.objects.filter(preferred_name="Jas").count() == 1
        # A second woman, on a process that has started up: what a Send costs, Redis down.
        another = Visitor(base)
        send_her_referral(another)
        assert press_send(another).headers["Location"] == "/refer/sent/"
        measured["another woman's Send"] = another.took
        assert measured["her Send"] < 5, measured
        assert measured["another woman's Send"] < 5, measured

        # A keyworker signs in and cancels a booking (the waitlisted woman is promoted).
        kw = Visitor(base)
        sign_in(kw, "kw@haven.test")
        kw.get(f"/staff/bookings/{leaving.pk}/cancel/")  # "Cancel this booking?"
        response = kw.post(f"/staff/bookings/{leaving.pk}/cancel/", {"sure": "yes"})
        measured["cancel a booking"] = kw.took
        assert response.status_code == 302, response.text[:2000]
        assert kw.get(response.headers["Location"]).status_code == 200
        assert "Booking cancelled." in kw.last_page

        # The service admin cancels a session with ten women booked.
        boss = Visitor(base)
        sign_in(boss, "admin@haven.test")
        boss.get(f"/staff/groups/sessions/{big.pk}/cancel/")
        response = boss.post(f"/staff/groups/sessions/{big.pk}/cancel/", {})
        measured["cancel a session of 10"] = boss.took
        assert response.status_code == 302, response.text[:2000]
        assert "10 bookings were cancelled" in boss.get(response.headers["Location"]).text

        health = Visitor(base).get("/healthz")
        measured["/healthz"] = health.elapsed.total_seconds()
        assert health.status_code == 503
        assert health.json()["checks"] == {"database": "ok", "redis": "down"}
        for what in ("cancel a booking", "cancel a session of 10", "/healthz"):
            assert measured[what] < 5, measured

        waiting = Notice.objects.filter(sent_at__isnull=True).count()
        assert waiting == 2 * 2 + 1 + 10  # team and confirmation for each, a promotion, ten

        # Redis is back: the worker and beat reconnect, and every notice goes, once.
        back = time.monotonic()
        redis.start()
        deadline = back + 150
        while Notice.objects.filter(sent_at__isnull=True).exists():
            assert time.monotonic() < deadline, list(Notice.objects.values())
            time.sleep(1)
        measured["every notice sent after Redis returned"] = time.monotonic() - back
    finally:
        redis.remove()
        print(f"\nmeasured (seconds): {measured}")
    sent_mail = mails(mail_dir)
    to_keyworker = Counter(
        (m["Subject"], m.get_payload()) for m in sent_mail if "kw@haven.test" in m["To"]
    )
    subjects = Counter(subject for subject, _body in to_keyworker.elements())
    assert subjects["New referral waiting"] == 2, sent_mail  # one per referral
    # A promotion and ten cancellations, each naming her case: none arrived twice.
    changes = {body: n for (subject, body), n in to_keyworker.items() if "booking" in subject}
    assert len(changes) == 11, changes
    assert set(changes.values()) == {1}, changes


def run_as_owner(database_url: str, *args: str, **environ) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
        env=child_process_environment(DATABASE_URL=database_url,
                                      DJANGO_SETTINGS_MODULE="config.settings", **environ),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-5000:]


def test_postgres_frozen_gives_friendly_pages_fast_and_loses_nothing(
    static_root, processes, tmp_path
):
    server = OwnPostgres().start()
    try:
        server.psql("CREATE DATABASE haven;")
        server.psql("CREATE ROLE haven_app LOGIN;")
        run_as_owner(server.url("haven"), "migrate", "--noinput", DATABASE_APP_ROLE="haven_app")
        run_as_owner(
            server.url("haven"), "shell", "-c",
            "from accounts.models import Team; "
            "Team.objects.create(name='Birmingham', postcode_districts=['B12'], is_default=True)",
        )  # fmt: skip
        mail_dir = tmp_path / "mail"
        mail_dir.mkdir()
        environ = production_environment(
            static_root, mail_dir, FIELD_ENCRYPTION_SALTS=PRODUCTION_SALT,
            DATABASE_URL=server.url("haven", user="haven_app"), REFERRAL_MIN_SECONDS_TO_FILL="0",
        )  # fmt: skip
        base = processes.gunicorn(environ)

        # Before: one referral sent and committed; a second woman halfway through.
        first = Visitor(base)
        send_her_referral(first)
        assert press_send(first).headers["Location"] == "/refer/sent/"
        reference = first.get("/refer/sent/").text
        second = Visitor(base)
        second.get(step_url(SELF, SELF_STEPS[0]))
        step = SELF_STEPS[0]
        second.post(step_url(SELF, step), {
            f"{SELF['prefix']}-current_step": step,
            **{f"{step}-{k}": v for k, v in VALID_ANSWERS[step].items()},
        })  # fmt: skip

        server.freeze()
        try:
            health = Visitor(base).get("/healthz")
            measured["/healthz, PostgreSQL frozen"] = health.elapsed.total_seconds()
            assert health.status_code == 503
            assert health.json()["checks"]["database"] == "down"
            # Her next page needs her session: a friendly 503, in time, in her language.
            page = second.get("/pl" + step_url(SELF, SELF_STEPS[1]))
            measured["her next page, PostgreSQL frozen"] = second.took
            assert page.status_code == 503, page.text[:2000]
            assert 'lang="pl"' in page.text
            assert "999" in page.text
            # A staff page too (a new connection: the connect timeout answers).
            staff = Visitor(base).get("/staff/")
            measured["a staff page, PostgreSQL frozen"] = staff.elapsed.total_seconds()
            assert staff.status_code in (302, 503)
        finally:
            server.thaw()
        assert measured["/healthz, PostgreSQL frozen"] < 2, measured
        assert measured["her next page, PostgreSQL frozen"] < 7, measured

        # Thawed: what was committed is there, and her form goes on.
        with psycopg.connect(server.url("haven"), connect_timeout=10) as conn:
            assert conn.execute("SELECT count(*) FROM referrals_referral").fetchone() == (1,)
        assert second.get("/pl" + step_url(SELF, SELF_STEPS[1])).status_code == 200
        assert "Jas" not in reference  # her confirmation never shows her name
    finally:
        print(f"\nmeasured (seconds): {measured}")
        server.remove()


def test_drill_helpers_read_mail_files(tmp_path):
    """The mail reader the drills count with reads what Django's file backend writes."""
    from django.core.mail import EmailMessage
    from django.core.mail.backends.filebased import EmailBackend

    backend = EmailBackend(file_path=str(tmp_path))
    backend.send_messages([EmailMessage("One", "first", "a@x.test", ["b@x.test"]),
                           EmailMessage("Two", "second", "a@x.test", ["c@x.test"])])  # fmt: skip
    assert [(m["Subject"], m["To"]) for m in mails(Path(tmp_path))] == [
        ("One", "b@x.test"), ("Two", "c@x.test"),
    ]  # fmt: skip
