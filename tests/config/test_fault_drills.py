"""Fault drills in the test's own process: a Redis that the test started itself
and really stops, a database that does not answer, a connection lost at the end of a
request, a missing forwarded-for header. The same drills with production settings,
gunicorn, a real worker and beat are in tests/config/test_outage_drills.py; a worker killed
mid-send is drilled in tests/sessions_booking/test_reminder_worker.py."""

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from core.permissions import Role
from notices.models import Notice
from notices.services import deliver_waiting
from referrals.choices import Status
from referrals.models import Referral, StatusChange
from referrals.services.intake import create_referral
from tests.support.factories import (
    TEST_PASSWORD,
    ReferralFactory,
    UserFactory,
    current_totp_code,
    enable_mfa,
)
from tests.support.own_services import OwnRedis
from tests.support.referral_journey import SELF, SELF_STEPS, VALID_ANSWERS, complete, post_step


@pytest.fixture
def own_redis(settings):
    """Celery's broker and what /healthz pings are a Redis of this test's own, running."""
    from config.celery import app

    server = OwnRedis().start()
    original = app.conf.broker_url
    app.conf.broker_url = server.url
    settings.REDIS_URL = server.url
    forget_broker_connections(app)
    yield server
    server.remove()
    app.conf.broker_url = original
    forget_broker_connections(app)


@pytest.fixture
def redis_stopped(own_redis):
    own_redis.stop()
    return own_redis


def forget_broker_connections(app):
    """Celery keeps connection and producer pools; drop them so the next task published
    connects to whatever broker_url says now."""
    app._pool = None
    app.amqp._producer_pool = None


def confirmation_reference(client) -> str:
    page = client.get(reverse("public:referral_confirmation"))
    assert page.status_code == 200
    return page.context["reference"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_stopped_she_gets_her_reference_and_her_team_hears_when_it_is_back(
    client, public_form_team, redis_stopped, time_machine
):
    # A Monday at 11:00: inside the times she marked safe, so her own email goes too.
    time_machine.move_to(datetime(2026, 12, 7, 11, 0, tzinfo=ZoneInfo("Europe/London")))
    keyworker = UserFactory(team=public_form_team, roles={Role.KEYWORKER})
    started = time.monotonic()
    response = complete(client, SELF, SELF_STEPS)
    took = time.monotonic() - started
    assert response["Location"] == reverse("public:referral_confirmation")
    referral = Referral.objects.get()
    assert confirmation_reference(client).replace(" ", "").replace("-", "") == referral.reference
    # No 19 s wait per queued task any more (the old result backend): far under gunicorn's 30.
    assert took < 10, took
    # Both notices are waiting in PostgreSQL, committed with her referral...
    assert sorted(Notice.objects.values_list("kind", "subject_id")) == [
        ("referrals.confirmation_sent", referral.pk),
        ("referrals.team_told", referral.pk),
    ]
    assert referral.team_notified_at is None
    # ...and Redis coming back lets the worker's sweep send each once.
    redis_stopped.start()
    assert deliver_waiting() == 2
    assert deliver_waiting() == 0
    assert [m.to for m in mail.outbox if keyworker.email in m.to] == [[keyworker.email]]
    assert [m.to for m in mail.outbox if "jas@example.org" in m.to] == [["jas@example.org"]]


@pytest.mark.django_db
def test_pressing_send_twice_stores_one_referral_and_shows_the_same_reference(
    client, public_form_team
):
    complete(client, SELF, SELF_STEPS[:-1])
    client.get(reverse(SELF["url_name"], kwargs={"step": "check"}))  # the check page: key given
    first = post_step(client, SELF, "check")
    second = post_step(client, SELF, "check")  # the second press, after the first went through
    assert first["Location"] == second["Location"] == reverse("public:referral_confirmation")
    assert Referral.objects.count() == 1
    assert confirmation_reference(client)
    assert Notice.objects.filter(kind="referrals.team_told").count() == 1


# What the form's steps give create_referral (cleaned answers), for the service tests.
ANSWERS = {**VALID_ANSWERS["about"], "postcode": "B12", "consent_to_store": True,
           "consent_to_contact": True}  # fmt: skip


@pytest.mark.django_db
def test_sending_again_after_an_error_returns_the_referral_already_stored(public_form_team):
    """Her Send failed after the referral was stored (the old 30 s timeout): the answers are
    still in her session with the same key, and sending again gives the same referral."""
    answers = ANSWERS
    key = "6b0f1f8a-3d1e-4b7e-9a51-6c1f0d3e2a10"
    first = create_referral(answers=answers, source="self", submission_key=key)
    again = create_referral(answers=answers, source="self", submission_key=key)
    assert again.pk == first.pk
    assert again.reference == first.reference
    assert Referral.objects.count() == 1
    assert Notice.objects.filter(subject_id=first.pk).count() == 2  # not queued twice


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_at_the_same_moment_store_one_referral(public_form_team):
    answers = ANSWERS
    key = "0d8c7b1e-7f0a-4c55-8a8e-2b9d9f5c1e33"
    references, errors = [], []
    barrier = threading.Barrier(2)

    def send():
        try:
            barrier.wait()
            references.append(
                create_referral(answers=answers, source="self", submission_key=key).reference
            )
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(references)) == 1
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_with_redis_stopped_a_keyworker_signs_in_and_the_limits_still_hold(
    client, public_form_team, redis_stopped
):
    """The sign-in limits and the used-code check live in the PostgreSQL cache."""
    enable_mfa(UserFactory(email="amara@haven.test", team=public_form_team, roles={Role.KEYWORKER}))
    response = client.post(
        reverse("account_login"), {"login": "amara@haven.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = current_totp_code()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home:staff_home")).status_code == 200
    # The same code cannot be used again (the cache remembered it) ...
    other = Client()
    other.post(reverse("account_login"), {"login": "amara@haven.test", "password": TEST_PASSWORD})
    assert other.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in other.session
    # ... and ten wrong passwords from one address still lock that address out.
    guesser = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(10):
        guesser.post(reverse("account_login"), {"login": f"x{n}@haven.test", "password": "no"})
    locked = Client(REMOTE_ADDR="192.0.2.7").post(
        reverse("account_login"), {"login": "amara@haven.test", "password": TEST_PASSWORD}
    )
    assert "Too many failed login attempts" in locked.content.decode()


@pytest.mark.django_db
def test_with_redis_stopped_staff_pages_still_work(client, public_form_team, redis_stopped):
    keyworker = UserFactory(team=public_form_team, roles={Role.KEYWORKER})
    client.force_login(enable_mfa(keyworker))
    assert client.get(reverse("home:staff_home")).status_code == 200


@pytest.mark.django_db
def test_healthz_names_a_stopped_redis(client, redis_stopped):
    body = client.get("/healthz").json()
    assert body == {"status": "down", "checks": {"database": "ok", "redis": "down"}}


@pytest.mark.django_db
def test_healthz_answers_at_once_when_redis_is_frozen(client, own_redis):
    own_redis.freeze()
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        took = time.monotonic() - started
    finally:
        own_redis.thaw()
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "down"}
    assert took < 2, took  # bounded by health.ANSWER_WITHIN (0.8 s), not by the hang


def grant_role_permissions():
    """After an earlier transactional test's flush, the role groups (a data migration) and
    their permissions may be gone or point at old permission ids: set them up again."""
    from django.contrib.auth.models import Group, Permission

    from core.permissions import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        Group.objects.get_or_create(name=role.group_name)[0].permissions.set(
            Permission.objects.filter(content_type__app_label="referrals", codename__in=codenames)
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_connection_dropped_mid_request_writes_nothing_and_the_next_works(
    public_form_team, monkeypatch
):
    """The connection is killed between the status change and its audit event: the user
    gets the friendly page (503: our records could not be reached), nothing of the change is
    kept, and the next request reconnects."""
    from referrals.services import casework

    grant_role_permissions()
    lead = enable_mfa(UserFactory(team=public_form_team, roles={Role.TEAM_LEAD}))
    referral = ReferralFactory(team=public_form_team, assigned_to=lead, status=Status.NEW)
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    killer = connections.create_connection("default")  # a second connection of our own

    original = casework.audit.record

    def drop_connection_then_record(*args, **kwargs):
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state = 'idle in transaction'"
            )
        return original(*args, **kwargs)

    monkeypatch.setattr(casework.audit, "record", drop_connection_then_record)
    response = client.post(
        reverse("referrals:case_change_status", args=[referral.pk]), {"target": Status.CONTACTING}
    )
    killer.close()
    assert response.status_code == 503
    page = response.content.decode()
    assert "we cannot reach our records just now" in page
    assert "999" in page
    assert "Exit this page" in page
    monkeypatch.undo()
    connection.close()
    referral.refresh_from_db()
    assert referral.status == Status.NEW
    assert not StatusChange.objects.filter(referral=referral).exists()
    assert not AuditEvent.objects.filter(referral=referral).exists()
    # The next request works.
    assert client.get(reverse("referrals:case_detail", args=[referral.pk])).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_query_the_database_does_not_answer_gives_a_friendly_page_in_her_language(
    settings, public_form_team
):
    """A lock held elsewhere stands in for a server that does not answer: the request's
    deadline (config/db_deadline.py) ends the wait and she sees the 503 page in Polish."""
    settings.DB_CLIENT_DEADLINE_SECONDS = 1
    client = Client(raise_request_exception=False)
    post_step(client, SELF, "about")  # she has a session: her next page reads it
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
    try:
        started = time.monotonic()
        response = client.get("/pl" + reverse(SELF["url_name"], kwargs={"step": "contact"}))
        took = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    page = response.content.decode()
    assert 'lang="pl"' in page
    assert "999" in page
    assert took < 5, took
    # The next request, and code outside any request, use the database again.
    assert client.get(reverse(SELF["url_name"], kwargs={"step": "contact"})).status_code == 200
    assert Referral.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_that_cannot_be_saved_gives_a_friendly_page_not_a_bare_400(
    public_form_team, monkeypatch
):
    """The connection is lost after the step was handled, as the session is saved at the end
    of the request: Django answers SessionInterrupted with 400; ours says what may have
    happened, in her language, with the way out."""
    from django.contrib.sessions.backends.db import SessionStore

    client = Client(raise_request_exception=False)
    post_step(client, SELF, "about")
    killer = connections.create_connection("default")
    save = SessionStore.save

    def lose_the_connection_then_save(self, must_create=False):
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        return save(self, must_create=must_create)

    monkeypatch.setattr(SessionStore, "save", lose_the_connection_then_save)
    response = client.post(
        "/pl" + reverse(SELF["url_name"], kwargs={"step": "contact"}),
        {f"{SELF['prefix']}-current_step": "contact",
         **{f"contact-{k}": v for k, v in VALID_ANSWERS["contact"].items()}},
    )  # fmt: skip
    killer.close()
    monkeypatch.undo()
    connection.close()
    assert response.status_code == 400
    page = response.content.decode()
    assert 'lang="pl"' in page
    assert "Bad Request" not in page
    assert "999" in page
    assert 'id="quick-exit"' in page


@pytest.mark.django_db
def test_every_error_page_is_friendly(client):
    client.raise_request_exception = False
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "Page not found" in page.content.decode()
    assert "Exit this page" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forwarded",
    [None, "", "not-an-address", "203.0.113.9, 198.51.100.4"],
    ids=["missing", "empty", "garbage", "a-list"],
)
def test_a_forwarded_for_header_never_loses_a_referral(
    client, public_form_team, settings, forwarded
):
    settings.CLIENT_ADDRESS_META_KEY = "HTTP_X_FORWARDED_FOR"
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    for step in SELF_STEPS:
        response = client.post(
            reverse(SELF["url_name"], kwargs={"step": step}),
            {f"{SELF['prefix']}-current_step": step,
             **{f"{step}-{k}": v for k, v in VALID_ANSWERS[step].items()}},
            **extra,
        )  # fmt: skip
        assert response.status_code == 302, step
    assert Referral.objects.count() == 1
