"""Fault drills (issue 9): the database dropping a connection mid-request, Redis down.
A worker killed mid-send is drilled in tests/test_reminder_worker.py."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.roles import Role
from referrals.choices import Status
from referrals.models import AuditEvent, Referral, StatusChange
from referrals.tasks import notify_team, notify_team_of_new_referral, notify_unnotified_referrals
from tests.factories import ReferralFactory, TeamFactory, UserFactory, enable_mfa
from tests.referral_journey import SELF, SELF_STEPS, complete

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    """The cache and Celery's broker both point at a Redis that is not there."""
    from config.celery import app

    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS}
    }  # fmt: skip
    settings.REDIS_URL = DEAD_REDIS  # what /healthz pings
    original, app.conf.broker_url = app.conf.broker_url, DEAD_REDIS
    forget_broker_connections(app)
    yield
    app.conf.broker_url = original
    forget_broker_connections(app)


def forget_broker_connections(app):
    """Celery keeps connection and producer pools; drop them so the next task published
    connects to whatever broker_url says now."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def team(settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    return TeamFactory(
        name="Birmingham", postcode_districts=["B12"], local_authorities=["Birmingham"],
        is_default=True,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_down_the_public_form_still_takes_her_referral_and_her_team_hears_later(
    client, team, redis_down
):
    keyworker = UserFactory(team=team, roles={Role.KEYWORKER})
    response = complete(client, SELF, SELF_STEPS)
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_confirmation")
    page = client.get(reverse("referral_confirmation"))
    assert page.status_code == 200
    referral = Referral.objects.get()
    assert referral.team_notified_at is None  # the task could not be queued...
    with pytest.raises(OperationalError, match="Connection refused"):
        notify_team_of_new_referral.delay(referral.pk)
    assert client.get("/healthz").json()["checks"]["redis"] == "down"
    # ...so the beat sweep tells her team once Redis (and the worker) are back.
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert notify_unnotified_referrals() == 1
    assert [m.to for m in mail.outbox] == [[keyworker.email]]
    assert notify_unnotified_referrals() == 0  # once only
    referral.refresh_from_db()
    assert referral.team_notified_at is not None


@pytest.mark.django_db
def test_the_sweep_leaves_brand_new_referrals_to_their_own_task(team):
    UserFactory(team=team, roles={Role.KEYWORKER})
    ReferralFactory(team=team)  # team_notified_at empty, created just now
    assert notify_unnotified_referrals() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_team_is_told_once_even_if_the_task_runs_twice(team):
    UserFactory(team=team, roles={Role.KEYWORKER})
    referral = ReferralFactory(team=team)
    assert notify_team(referral.pk) == 1
    assert notify_team(referral.pk) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_team_email_is_tried_again(team, monkeypatch):
    UserFactory(team=team, roles={Role.KEYWORKER})
    referral = ReferralFactory(team=team)

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("referrals.tasks.send_mail", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        notify_team(referral.pk)
    referral.refresh_from_db()
    assert referral.team_notified_at is None
    monkeypatch.undo()
    assert notify_team(referral.pk) == 1


@pytest.mark.django_db
def test_with_redis_down_staff_pages_still_work(client, team, redis_down):
    keyworker = UserFactory(team=team, roles={Role.KEYWORKER})
    client.force_login(enable_mfa(keyworker))
    assert client.get(reverse("staff_home")).status_code == 200


def grant_role_permissions():
    """After an earlier transactional test's flush, the role groups (a data migration) and
    their permissions may be gone or point at old permission ids: set them up again."""
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        Group.objects.get_or_create(name=role.group_name)[0].permissions.set(
            Permission.objects.filter(content_type__app_label="referrals", codename__in=codenames)
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_connection_dropped_mid_request_writes_nothing_and_the_next_works(
    team, monkeypatch
):
    """The connection is killed between the status change and its audit event: the user
    gets the friendly error page, nothing of the change is kept, and the next request
    reconnects."""
    from referrals import casework

    grant_role_permissions()
    lead = enable_mfa(UserFactory(team=team, roles={Role.TEAM_LEAD}))
    referral = ReferralFactory(team=team, assigned_to=lead, status=Status.NEW)
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
        reverse("case_change_status", args=[referral.pk]), {"target": Status.CONTACTING}
    )
    killer.close()
    assert response.status_code == 500
    page = response.content.decode()
    assert "Nothing you entered was saved" in page
    monkeypatch.undo()
    connection.close()
    referral.refresh_from_db()
    assert referral.status == Status.NEW
    assert not StatusChange.objects.filter(referral=referral).exists()
    assert not AuditEvent.objects.filter(referral=referral).exists()
    # The next request works.
    assert client.get(reverse("case_detail", args=[referral.pk])).status_code == 200
