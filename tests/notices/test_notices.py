"""The notices outbox (notices/): written with the change, delivered once, retried, never
lost when Redis is down."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notices import registry
from notices.models import Notice
from notices.services import (
    MOST_ATTEMPTS,
    deliver,
    deliver_waiting,
    forget_failed_wake_ups,
    queue,
    wake,
)

CALLS = []


def record_call(subject_id):
    CALLS.append(subject_id)


def fail_with_smtp_down(subject_id):
    raise ConnectionRefusedError("smtp down")


@pytest.fixture(autouse=True)
def test_kinds():
    CALLS.clear()
    for kind, handler in {
        "test.ok": f"{__name__}.record_call",
        "test.fails": f"{__name__}.fail_with_smtp_down",
    }.items():
        registry._handlers.setdefault(kind, handler)
    yield
    for kind in ("test.ok", "test.fails"):
        registry._handlers.pop(kind, None)


@pytest.mark.django_db
def test_a_notice_is_delivered_once_however_often_the_sweep_runs():
    with transaction.atomic():
        queue("test.ok", 7, 8)
    assert deliver_waiting() == 2
    assert deliver_waiting() == 0
    assert CALLS == [7, 8]
    assert Notice.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_change_that_rolls_back_leaves_no_notice():
    def change_that_fails():
        with transaction.atomic():
            queue("test.ok", 1)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_when_queued():
    with pytest.raises(registry.UnknownKind):
        queue("test.nobody-delivers-this", 1)


@pytest.mark.django_db
def test_a_failed_notice_waits_longer_each_time_and_is_given_up_after_the_last_try(caplog):
    (notice,) = queue("test.fails", 3)
    now = timezone.now()
    waits = []
    for attempt in range(1, MOST_ATTEMPTS + 1):
        assert deliver(notice.pk, now=now) is False
        notice.refresh_from_db()
        assert notice.attempts == attempt
        assert notice.last_error == "ConnectionRefusedError: smtp down"
        if notice.given_up_at:
            break
        waits.append(notice.due_at - now)
        assert deliver(notice.pk, now=now) is False  # not due yet: not tried
        assert notice.attempts == attempt
        now = notice.due_at
    assert notice.given_up_at is not None
    assert notice.attempts == MOST_ATTEMPTS
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert max(waits) == timedelta(hours=1)
    assert "gave up on test.fails #3" in caplog.text
    assert deliver_waiting(now=now + timedelta(days=1)) == 0  # never tried again


@pytest.mark.django_db
def test_a_failure_of_one_notice_does_not_hold_up_the_others():
    queue("test.fails", 1)
    queue("test.ok", 2)
    assert deliver_waiting() == 1
    assert CALLS == [2]


@pytest.mark.django_db
def test_sent_notices_are_deleted_after_thirty_days():
    old, recent = queue("test.ok", 1, 2)
    deliver_waiting()
    Notice.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=31))
    deliver_waiting()
    assert list(Notice.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notice_held_by_one_worker_is_skipped_by_another():
    (notice,) = queue("test.ok", 5)
    from django.db import connections

    other = connections.create_connection("default")
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute("SELECT id FROM notices_notice WHERE id = %s FOR UPDATE", [notice.pk])
    try:
        assert deliver(notice.pk) is False  # the other worker is sending it
    finally:
        other.rollback()
        other.close()
    assert deliver(notice.pk) is True
    assert CALLS == [5]


def test_a_wake_up_with_the_broker_down_fails_fast_once_then_stays_quiet(settings, caplog):
    from config.celery import app
    from tests.support.own_services import OwnRedis

    server = OwnRedis().start()
    original = app.conf.broker_url
    app.conf.broker_url = server.url
    server.stop()
    try:
        from notices.tasks import deliver_waiting_notices

        forget_failed_wake_ups()
        started = time.monotonic()
        assert wake(deliver_waiting_notices) is False
        # Refused at once, not after kombu's usual retries (about 2 s): a request waits on it.
        assert time.monotonic() - started < 1
        assert "could not queue notices.tasks.deliver_waiting_notices" in caplog.text
        caplog.clear()
        assert wake(deliver_waiting_notices) is False  # quiet: not even tried
        assert caplog.text == ""
    finally:
        app.conf.broker_url = original
        server.remove()
        forget_failed_wake_ups()


def test_a_wake_up_puts_one_message_on_the_queue_when_redis_is_up():
    import redis

    from config.celery import app
    from notices.tasks import deliver_waiting_notices
    from tests.support.own_services import OwnRedis

    server = OwnRedis().start()
    original = app.conf.broker_url
    app.conf.broker_url = server.url
    try:
        assert wake(deliver_waiting_notices) is True
        assert redis.Redis.from_url(server.url).llen("celery") == 1
    finally:
        app.conf.broker_url = original
        server.remove()
