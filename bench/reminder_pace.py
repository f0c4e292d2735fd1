"""Benchmark: the sending pace.

"10,000 due reminders drain through a fake GOV.UK Notify at the configured pace (within
5 % of 3,000 a minute, none refused, none twice) with two workers; a permanent failure
reaches the keyworker's calls list within a minute of its callback."

The 10,000 reminders of the reminders benchmark are put back to due, and two Celery
workers (two processes each), sending through the fake Notify over HTTP on 127.0.0.1
(tests/support/fake_notify.py) with MESSAGES_PER_MINUTE=3000, are sent sweeps as beat would,
keeping four running (one per worker process) while reminders are due. The pace is measured
at the fake Notify: the time each message arrived. After bench.reminders it reuses its
reminders; on its own (`make bench BENCH_ARGS=reminder-pace`) it seeds them.
"""

import os
import time
from collections import Counter
from datetime import datetime

from django.db.models import Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from bench.processes import running
from bench.reminders import (
    QUEUE,
    REMINDERS,
    SWEEP_TASK,
    seed,
    wait_until_ready,
    worker_command,
)
from bench.report import RESULTS_DIR, Result, Row
from config.celery import app
from referrals.models import Referral
from sessions_booking.models import Reminder, ReminderStatus
from sessions_booking.selectors import calls_to_make
from tests.support.fake_notify import FakeNotify

PER_MINUTE = 3000
GIVE_UP_AFTER_SECONDS = REMINDERS / PER_MINUTE * 60 * 1.5
TOLERANCE = 0.05


def put_back_to_due() -> None:
    Reminder.objects.update(
        status=ReminderStatus.SCHEDULED, sent_at=None, sending_started_at=None,
        provider_reference="", attempts=0, last_error="", send_at=timezone.now(),
    )  # fmt: skip


def due() -> int:
    return Reminder.objects.filter(
        Q(status=ReminderStatus.SCHEDULED) | Q(status=ReminderStatus.SENDING)
    ).count()


def drain(sweeps_at_once: int) -> bool:
    """Keep ``sweeps_at_once`` sweeps running while reminders are due. False if it gave up."""
    deadline = time.monotonic() + GIVE_UP_AFTER_SECONDS
    sweeps = [
        app.send_task(SWEEP_TASK, queue=QUEUE, ignore_result=False) for _ in range(sweeps_at_once)
    ]
    while time.monotonic() < deadline:
        time.sleep(1.0)
        if not due():
            return True
        running_now = [s for s in sweeps if not s.ready()]
        for _ in range(sweeps_at_once - len(running_now)):
            running_now.append(app.send_task(SWEEP_TASK, queue=QUEUE, ignore_result=False))
        sweeps = running_now
    return not due()


def busiest_minute(moments: list[float]) -> int:
    busiest, start = 0, 0
    for end, moment in enumerate(moments):
        while moment - moments[start] >= 60:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def failure_to_calls_list() -> float:
    """Seconds from Notify's permanent-failure callback for one sent reminder (posted to
    /notify/delivery-status/ with its bearer token, in this process) to her keyworker's
    calls list showing it."""
    reminder = (
        Reminder.objects.filter(status=ReminderStatus.SENT)
        .exclude(provider_reference="")
        .select_related("booking__referral", "booking__booked_by")
        .first()
    )
    keyworker = reminder.booking.booked_by
    Referral.objects.filter(pk=reminder.booking.referral_id).update(assigned_to=keyworker)
    token = "bench-callback-token-" + "x" * 20
    started = time.monotonic()
    with override_settings(NOTIFY_CALLBACK_TOKEN=token, ALLOWED_HOSTS=["*"]):
        response = Client().post(
            reverse("sessions_booking:notify_delivery_status"),
            {"id": reminder.provider_reference, "status": "permanent-failure"},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        )  # fmt: skip
    if response.status_code != 204:
        raise RuntimeError(f"the callback was answered {response.status_code}")
    while reminder.pk not in {r.pk for r in calls_to_make(user=keyworker)}:
        if time.monotonic() - started > 60:
            return float("inf")
        time.sleep(0.05)
    return time.monotonic() - started


def run() -> Result:
    if Reminder.objects.count() < REMINDERS:
        seed(REMINDERS, now=timezone.now())  # run on its own, without bench.reminders
    put_back_to_due()
    fake = FakeNotify(per_minute_limit=PER_MINUTE).start()  # refuses what Notify would
    env = {
        **os.environ, **fake.settings(), "NOTIFY_SMS_SENDER_ID": "", "LOG_LEVEL": "WARNING",
        "MESSAGES_PER_MINUTE": str(PER_MINUTE),
    }  # fmt: skip
    try:
        logs = [RESULTS_DIR / f"pace-worker-{n}.log" for n in (1, 2)]
        commands = [
            [arg if arg != "bench@%h" else f"pace{n}@%h" for arg in worker_command()]
            for n in (1, 2)
        ]
        with (
            running(commands[0], env=env, log_path=logs[0]) as first,
            running(commands[1], env=env, log_path=logs[1]) as second,
        ):
            wait_until_ready(first)
            wait_until_ready(second)
            finished = drain(sweeps_at_once=4)  # one per worker process
        messages = list(fake.messages)
        refused = sum(1 for _m, _p, _r, status in fake.requests if status != 201 and _m == "POST")
    finally:
        fake.stop()
    to_calls_list = failure_to_calls_list()
    references = Counter(m.reference for m in messages)
    twice = sum(n - 1 for n in references.values())
    moments = sorted(datetime.fromisoformat(m.created_at).timestamp() for m in messages)
    seconds = moments[-1] - moments[0] if len(moments) > 1 else 0.0
    per_minute = (len(moments) - 1) / seconds * 60 if seconds else 0.0
    within = abs(per_minute - PER_MINUTE) <= PER_MINUTE * TOLERANCE
    busiest = busiest_minute(moments)
    rows = [
        Row(
            f"sending pace: {REMINDERS:,} due reminders through a fake Notify (2 workers)",
            f"{len(references):,} in {seconds:.0f} s: {per_minute:,.0f} a minute"
            + ("" if finished else " (gave up)"),
            f"{PER_MINUTE:,} a minute ± {TOLERANCE:.0%}",
            finished and len(references) == REMINDERS and within,
        ),
        Row(
            "sending pace: busiest 60 seconds",
            f"{busiest:,}",
            f"≤ {PER_MINUTE:,} (Notify's limit per minute)",
            busiest <= PER_MINUTE,
        ),
        Row("sending pace: refused by Notify", f"{refused:,}", "0", refused == 0),
        Row(
            "delivery receipts: a permanent failure's callback to her keyworker's calls list",
            f"{to_calls_list * 1000:.0f} ms",
            "< 60 s",
            to_calls_list < 60,
        ),
        Row("sending pace: sent twice", f"{twice:,}", "0", twice == 0),
    ]
    return Result(
        "reminder-pace",
        rows,
        {
            "reminders": REMINDERS, "per_minute_configured": PER_MINUTE,
            "per_minute_measured": round(per_minute, 1), "seconds": round(seconds, 1),
            "busiest_minute": busiest, "refused": refused, "sent_twice": twice,
            "delivered": len(references), "finished": finished,
            "failure_to_calls_list_seconds": round(to_calls_list, 3),
        },
    )  # fmt: skip
