"""The beat sweep runs through a real Redis broker and a real Celery worker."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from config.celery import app


def make_session(key, expires_in):
    return Session.objects.create(
        session_key=key, session_data="e30:1", expire_date=timezone.now() + expires_in
    )


@pytest.mark.django_db
def test_clear_expired_sessions_deletes_only_expired_rows_and_is_safe_to_repeat():
    make_session("expired", timedelta(minutes=-1))
    make_session("current", timedelta(minutes=10))
    assert clear_expired_sessions() == 1
    assert clear_expired_sessions() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


def test_beat_schedules_the_session_sweep():
    schedule = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert schedule["task"] == clear_expired_sessions.name
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE


def test_celery_is_configured_for_safe_delivery():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit
    assert app.conf.task_soft_time_limit
    assert app.conf.broker_url.startswith("redis://")
    assert app.conf.task_always_eager is False


@pytest.mark.slow
# serialized_rollback restores the rows data migrations made (the role groups) after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sweep_runs_through_redis_on_a_real_worker():
    make_session("expired", timedelta(minutes=-5))
    make_session("current", timedelta(minutes=5))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        clear_expired_sessions.delay()  # fire and forget: no result backend
        deadline = time.monotonic() + 30
        while Session.objects.count() > 1 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
