"""Reminders go exactly once through a real Redis broker and real Celery worker processes,
to a fake GOV.UK Notify over HTTP: with two sweeps at once, and when the worker is killed
in the middle of a send (after Notify took the message, before it was recorded)."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone

from config.celery import app
from core.permissions import Role
from sessions_booking.models import Reminder, ReminderStatus
from sessions_booking.services.booking import book_client
from tests.support.factories import GroupSessionFactory, ReferralFactory, TeamFactory, UserFactory
from tests.support.fake_notify import fake_notify_fixture  # noqa: F401
from tests.support.processes import child_process_environment

pytestmark = [
    pytest.mark.slow,
    # serialized_rollback restores the rows data migrations made after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWEEP = "sessions_booking.tasks.send_due_reminders"
BOOKINGS = 20  # two reminders each (48 and 2 hours before): 40 reminders
WAIT_SECONDS = 60
PHONE = "+447911123456"


def due_reminders(count_bookings=BOOKINGS) -> list[Reminder]:
    """Committed, due SMS reminders for women who may be texted at any time."""
    keyworker = UserFactory(team=TeamFactory(name="North"), roles={Role.KEYWORKER})
    request = keyworker
    session = GroupSessionFactory(capacity=count_bookings)
    for _ in range(count_bookings):
        referral = ReferralFactory(
            team=keyworker.team, assigned_to=keyworker, safe_channels=["sms"], phone=PHONE,
            safe_days=[], safe_from=None, safe_until=None,
        )  # fmt: skip
        book_client(actor=request, referral=referral, session=session)
    Reminder.objects.update(send_at=timezone.now() - timedelta(minutes=1))
    reminders = list(Reminder.objects.order_by("pk"))
    assert len(reminders) == 2 * count_bookings
    assert {r.status for r in reminders} == {ReminderStatus.SCHEDULED}
    return reminders


class Worker:
    """``celery -A config worker`` in its own process group, logging to a file."""

    def __init__(self, *, queue: str, environ: dict, log_dir: Path, name: str):
        self.queue, self.name = queue, name
        self.log_path = log_dir / f"{name}.log"
        self.environ = environ
        self.process = None

    def start(self) -> "Worker":
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool", "prefork", "-c", "2", "-Q", self.queue, "-n", f"{self.name}@%h",
            "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=django_settings.BASE_DIR,
                env=self.environ,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, children included
            )
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_until_ready(self, timeout=30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"worker {self.name} exited with {self.process.returncode}")
            if " ready." in self.log():
                return
            time.sleep(0.1)
        raise AssertionError(f"worker {self.name} not ready after {timeout} s")

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and its pool children."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # all of them exited already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def workers(fake_notify):
    """Start workers with ``workers.start(**environ)``; all are killed afterwards, and
    their logs are printed if the test failed."""

    class Workers:
        queue = f"test-reminders-{uuid.uuid4().hex[:12]}"

        def __init__(self):
            self.started: list[Worker] = []
            self.log_dir = Path(tempfile.mkdtemp(prefix="haven-worker-"))

        def start(self, **environ) -> Worker:
            env = {
                **child_process_environment(),
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "PYTHONUNBUFFERED": "1",
                **fake_notify.settings(),
                "NOTIFY_SMS_SENDER_ID": "",
                "NOTIFY_TIMEOUT_SECONDS": "30",
                "LOG_LEVEL": "INFO",
                **{name: str(value) for name, value in environ.items()},
            }
            worker = Worker(
                queue=self.queue,
                environ=env,
                log_dir=self.log_dir,
                name=f"{self.queue}-{len(self.started) + 1}",
            )
            self.started.append(worker)
            worker.start().wait_until_ready()
            return worker

        def sweep(self):
            return app.send_task(SWEEP, queue=self.queue)

    started = Workers()
    try:
        yield started
    finally:
        fake_notify.release()
        for worker in started.started:
            worker.kill()  # its tasks are done (or it was killed already)
        # pytest shows what a test printed only when it failed.
        for worker in started.started:
            print(f"\n----- log of worker {worker.name} -----\n{worker.log()}")
        shutil.rmtree(started.log_dir, ignore_errors=True)
        forget_queue(started.queue)


def forget_queue(queue: str) -> None:
    """Leave the broker as it was: a killed worker's unacknowledged task would otherwise
    be restored, an hour later, to a queue nobody reads."""
    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        for tag, raw in client.hgetall("unacked").items():
            try:
                _message, exchange, routing_key = json.loads(raw)
            except ValueError:
                continue
            if queue in (exchange, routing_key):
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
        for key in client.scan_iter(match="_kombu.binding.*"):
            for member in client.smembers(key):
                if queue.encode() in member:
                    client.srem(key, member)
    finally:
        client.close()


def wait_until(condition, *, timeout=WAIT_SECONDS, what="") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def statuses() -> dict[str, int]:
    counts = {}
    for status in Reminder.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def all_sent() -> bool:
    return not Reminder.objects.exclude(status=ReminderStatus.SENT).exists()


def assert_each_sent_exactly_once(reminders, fake_notify) -> None:
    references = {str(r.idempotency_key) for r in reminders}
    seen = fake_notify.references()
    assert set(seen) == references
    twice = {reference: n for reference, n in seen.items() if n != 1}
    assert not twice, f"sent more than once: {twice}"
    for reminder in Reminder.objects.all():
        [sent] = fake_notify.find(str(reminder.idempotency_key))
        assert reminder.status == ReminderStatus.SENT
        assert reminder.provider_reference == sent.id


def test_two_sweeps_at_once_on_a_real_worker_send_each_reminder_exactly_once(fake_notify, workers):
    reminders = due_reminders()
    workers.start()
    workers.sweep()  # two at once; fire and forget (tasks keep no results)
    workers.sweep()
    wait_until(all_sent, what=f"every reminder to be sent (now: {statuses()})")
    assert_each_sent_exactly_once(reminders, fake_notify)
    assert fake_notify.send_attempts() == len(reminders)


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(fake_notify, workers):
    reminders = due_reminders()
    fake_notify.hang_on_send(3)  # Notify takes the third message; its answer never comes
    first = workers.start()
    workers.sweep()
    assert fake_notify.hanging.wait(timeout=WAIT_SECONDS), "the third send never arrived"
    first.kill()
    fake_notify.release()

    assert len(fake_notify.messages) == 3
    interrupted = fake_notify.messages[2]
    assert statuses() == {ReminderStatus.SENT: 2, ReminderStatus.SENDING: len(reminders) - 2}
    claimed_at = Reminder.objects.filter(status=ReminderStatus.SENDING).latest("sending_started_at")
    # They are "stuck" once older than REMINDER_STUCK_AFTER_SECONDS (1 s for this worker).
    wait_until(
        lambda: timezone.now() - claimed_at.sending_started_at > timedelta(seconds=1.5),
        what="the claims to be older than the stuck limit",
    )
    workers.start(REMINDER_STUCK_AFTER_SECONDS=1)
    workers.sweep()
    wait_until(all_sent, what=f"every reminder to be sent (now: {statuses()})")
    # The interrupted one was looked up at Notify and found, not sent again:
    assert_each_sent_exactly_once(reminders, fake_notify)
    assert fake_notify.send_attempts() == len(reminders)
    assert interrupted.reference in fake_notify.lookups()
    assert Reminder.objects.get(provider_reference=interrupted.id).attempts == 1


def test_two_workers_share_one_pace_and_drain_a_backlog_at_it(fake_notify, workers):
    """120 due reminders, 10 a second allowed (600 a minute), two worker processes sweeping
    at once: the backlog drains no faster than that pace in any stretch of time, each
    reminder once, none refused."""
    per_minute, per_second = 600, 10
    reminders = due_reminders(60)
    workers.start(MESSAGES_PER_MINUTE=per_minute)
    workers.start(MESSAGES_PER_MINUTE=per_minute)
    workers.sweep()
    workers.sweep()
    wait_until(all_sent, what=f"every reminder to be sent (now: {statuses()})")
    assert_each_sent_exactly_once(reminders, fake_notify)
    assert fake_notify.send_attempts() == len(reminders)  # nothing refused or retried
    moments = sorted(
        datetime.fromisoformat(sent.created_at).timestamp() for sent in fake_notify.messages
    )
    # A moving window: no stretch of 5 seconds holds more than 5 seconds' worth. (Counted
    # where Notify received them, after each worker read her row and issued her link, which
    # takes longer for some than others on a busy machine: 4.5 s is taken.)
    for i, start in enumerate(moments):
        within_five = sum(1 for moment in moments[i:] if moment < start + 4.5)
        assert within_five <= 5 * per_second, (start, within_five)
    # The whole backlog: the first window's sends are free, the rest come at the pace.
    drained_in = moments[-1] - moments[0]
    expected = (len(moments) - per_second) / per_second
    assert drained_in >= expected * 0.95, drained_in
    # (How close to the pace it keeps on a given machine is measured by `make bench`.)
    # Two sweeps sent at the same time (the pace is shared, not one sweep's): each sent some.
    logs = "".join(worker.log() for worker in workers.started)
    results = [
        int(n)
        for n in re.findall(rf"{re.escape(SWEEP)}\[[^]]+\] succeeded in [\d.]+s: (\d+)", logs)
    ]
    assert sum(results) == len(reminders), results
    assert len([n for n in results if n > 0]) >= 2, results
