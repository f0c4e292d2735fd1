"""Benchmark: the reminders sweep.

"10,000 due reminders swept and delivered through the console backend by one worker on
PostgreSQL and Redis; report reminders per second and peak memory. Target: all 10,000 in
under 60 seconds on 2 cores, with zero duplicates."

10,000 confirmed bookings are seeded, each with one SMS reminder an hour overdue and no
limit on her safe days or hours. One real Celery worker (prefork, two processes) is sent
the sweep the way beat sends it, again every second while reminders are still due and no
sweep is running, until none is due or GIVE_UP_AFTER_SECONDS pass. The time is from the
first sweep sent to the last reminder's ``sent_at``. Duplicates are counted in the
worker's log, where the console backend writes one line per SMS with the reminder's
idempotency reference in brackets.

Imported by bench/run.py once Django is set up on the benchmark's databases.
"""

import os
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import Team, User
from bench.processes import log_tail, running, tree_peak_rss
from bench.report import RESULTS_DIR, Result, Row
from config.celery import app
from core.choices import Channel
from referrals.choices import SafeNow, Source
from referrals.models import Referral
from referrals.rules.consent import CONSENT_VERSION
from referrals.rules.reference import new_reference_code
from sessions_booking.models import (
    Booking,
    BookingStatus,
    GroupSession,
    Programme,
    Reminder,
    ReminderStatus,
    Venue,
)

REMINDERS = 10_000
SESSIONS = 10
OFFSET_HOURS = 48
TARGET_SECONDS = 60
GIVE_UP_AFTER_SECONDS = 120
TRIGGER_EVERY_SECONDS = 1.0
WORKER_READY_SECONDS = 60
LAST_SWEEP_SECONDS = 90  # CELERY_TASK_TIME_LIMIT: the longest a sweep can still be running
BATCH = 1000
# Celery's default queue, as in production: the sweep asks for a second sweep there when
# it finds a backlog. Safe, because the bench has a Redis database of its own.
QUEUE = "celery"
SWEEP_TASK = "sessions_booking.tasks.send_due_reminders"
LOG_PATH = RESULTS_DIR / "reminders-worker.log"
SMS_LINE = re.compile(r"SMS to .*? \[(?P<reference>[0-9a-f-]{36})\]: ")
MIB = 1024 * 1024


# --- Seeding -----------------------------------------------------------------------------


def unique_references(count: int) -> list[str]:
    references = set()
    while len(references) < count:
        references.add(new_reference_code())
    return list(references)


def seed_sessions(*, now: datetime) -> list:
    """SESSIONS sessions with room for everyone, starting an hour after the reminders'
    offset, so each reminder is an hour overdue and each session still to come."""
    venue = Venue.objects.create(name="Bench venue", address="1 Example Street\nBirmingham B1 1AA")
    programme = Programme.objects.create(
        name="Bench group", description="Benchmark.", reminder_offsets_hours=[OFFSET_HOURS]
    )
    starts_at = now + timedelta(hours=OFFSET_HOURS - 1)
    return GroupSession.objects.bulk_create(
        GroupSession(
            programme=programme,
            venue=venue,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            booking_cutoff=starts_at - timedelta(hours=2),
            capacity=-(-REMINDERS // SESSIONS),
        )
        for _ in range(SESSIONS)
    )


def seed_referrals(count: int, *, team, now: datetime) -> list:
    """Women who marked SMS safe, with a phone number and no limit on days or hours."""
    return Referral.objects.bulk_create(
        (
            Referral(
                reference=reference,
                source=Source.SELF,
                team=team,
                preferred_name=f"Bench {number}",
                safe_now=SafeNow.YES,
                safe_channels=[Channel.SMS],
                phone=f"+447700900{number % 1000:03d}",  # Ofcom's drama numbers
                consent_to_store=True,
                consent_to_contact=True,
                consent_version=CONSENT_VERSION,
                consent_given_at=now,
            )
            for number, reference in enumerate(unique_references(count))
        ),
        batch_size=BATCH,
    )


def seed(count: int, *, now: datetime) -> None:
    """``count`` confirmed bookings, each with one scheduled SMS reminder, due an hour ago."""
    team = Team.objects.create(name="Bench team")
    staff = User.objects.create(email="bench@haven.test", full_name="Bench keyworker", team=team)
    sessions = seed_sessions(now=now)
    referrals = seed_referrals(count, team=team, now=now)
    bookings = Booking.objects.bulk_create(
        (
            Booking(
                session=sessions[number % len(sessions)],
                referral=referral,
                status=BookingStatus.CONFIRMED,
                booked_by=staff,
            )
            for number, referral in enumerate(referrals)
        ),
        batch_size=BATCH,
    )
    Reminder.objects.bulk_create(map(due_reminder, bookings), batch_size=BATCH)


def due_reminder(booking) -> Reminder:
    due = booking.session.starts_at - timedelta(hours=OFFSET_HOURS)
    return Reminder(
        booking=booking,
        offset_hours=OFFSET_HOURS,
        channel=Channel.SMS,
        due_at=due,
        send_at=due,
        status=ReminderStatus.SCHEDULED,
    )


# --- The worker and the sweeps -----------------------------------------------------------


def worker_command() -> list[str]:
    return [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool", "prefork", "--concurrency", "2", "--queues", QUEUE,
        "--hostname", "bench@%h", "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip


def worker_env() -> dict[str, str]:
    """This process's environment (already pointed at the benchmark's databases), with SMS
    through the console backend and INFO logging, so each SMS is a line in the log."""
    # The sweep's own capacity, without the sending pace (bench/reminder_pace.py measures
    # the pace): 0 turns the pace off.
    return {
        **os.environ, "MESSAGES_SMS_BACKEND": "console", "LOG_LEVEL": "INFO",
        "MESSAGES_PER_MINUTE": "0",
    }  # fmt: skip


def wait_until_ready(worker) -> None:
    deadline = time.monotonic() + WORKER_READY_SECONDS
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"The Celery worker exited:\n{log_tail(LOG_PATH)}")
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError(f"The Celery worker was not ready in time:\n{log_tail(LOG_PATH)}")


def due_count() -> int:
    due = Q(status=ReminderStatus.SCHEDULED, send_at__lte=timezone.now())
    return Reminder.objects.filter(due | Q(status=ReminderStatus.SENDING)).count()


@dataclass
class Sweeps:
    started_at: datetime
    sent_by_each: list  # what each sweep returned (reminders it sent), or its error
    timed_out: bool


def sweep_until_done() -> Sweeps:
    """Send the sweep as beat does; again each second while reminders are still due and
    no sweep is running."""
    started_at = timezone.now()
    deadline = time.monotonic() + GIVE_UP_AFTER_SECONDS
    sweeps = [app.send_task(SWEEP_TASK, queue=QUEUE, ignore_result=False)]
    while time.monotonic() < deadline:
        time.sleep(TRIGGER_EVERY_SECONDS)
        if not due_count():
            break
        if sweeps[-1].ready():
            sweeps.append(app.send_task(SWEEP_TASK, queue=QUEUE, ignore_result=False))
    timed_out = bool(due_count())
    sweeps[-1].get(timeout=LAST_SWEEP_SECONDS, propagate=False)
    return Sweeps(
        started_at=started_at,
        sent_by_each=[repr(s.result) if s.failed() else s.result for s in sweeps],
        timed_out=timed_out,
    )


# --- What happened -----------------------------------------------------------------------


@dataclass
class Outcome:
    sent: int  # sent in the database, with a provider reference
    seconds: float  # first sweep sent to the last reminder's sent_at
    duplicates: int  # SMS lines beyond the first for the same reference
    sent_once: int  # sent in the database and logged exactly once
    never_logged: int
    unknown_logged: int  # logged with a reference no reminder has
    log_errors: int  # ERROR lines and tracebacks in the worker's log
    statuses: dict
    peak_rss: list[int]  # bytes: the worker's main process, then its pool processes

    @property
    def per_second(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0


def logged_references(log: str) -> Counter:
    return Counter(line["reference"] for line in SMS_LINE.finditer(log))


def log_errors(log: str) -> int:
    return len(re.findall(r"\bERROR\b|^Traceback", log, flags=re.MULTILINE))


def outcome(sweeps: Sweeps, peak_rss: list[int]) -> Outcome:
    reminders = Reminder.objects.order_by()
    sent = reminders.filter(status=ReminderStatus.SENT).exclude(provider_reference="")
    sent_keys = {str(key) for key in sent.values_list("idempotency_key", flat=True)}
    all_keys = {str(key) for key in reminders.values_list("idempotency_key", flat=True)}
    last_sent_at = sent.aggregate(last=Max("sent_at"))["last"]
    log = LOG_PATH.read_text(errors="replace")
    logged = logged_references(log)
    return Outcome(
        sent=len(sent_keys),
        seconds=(last_sent_at - sweeps.started_at).total_seconds() if last_sent_at else 0.0,
        duplicates=sum(count - 1 for count in logged.values()),
        sent_once=sum(1 for key in sent_keys if logged[key] == 1),
        never_logged=len(all_keys - logged.keys()),
        unknown_logged=len(logged.keys() - all_keys),
        log_errors=log_errors(log),
        statuses=dict(reminders.values_list("status").annotate(count=Count("pk"))),
        peak_rss=peak_rss,
    )


def rows(result: Outcome, sweeps: Sweeps) -> list[Row]:
    in_time = result.sent == REMINDERS and result.seconds < TARGET_SECONDS
    needed_rate = REMINDERS / TARGET_SECONDS
    swept = f"{result.sent:,} in {result.seconds:.1f} s"
    if sweeps.timed_out:
        swept += f" (gave up after {GIVE_UP_AFTER_SECONDS} s)"
    worker, *children = result.peak_rss
    return [
        Row(
            f"reminders: {REMINDERS:,} due SMS swept and delivered (1 worker, 2 processes)",
            swept,
            f"all {REMINDERS:,} in < {TARGET_SECONDS} s",
            in_time,
        ),
        Row(
            "reminders: throughput",
            f"{result.per_second:.0f} reminders/s",
            f"≥ {needed_rate:.0f} reminders/s",
            result.per_second >= needed_rate,
        ),
        Row(
            "reminders: duplicate SMS (console log)",
            f"{result.duplicates:,}",
            "0",
            result.duplicates == 0,
        ),
        Row(
            "reminders: sent exactly once (DB sent with provider reference, logged once)",
            f"{result.sent_once:,} of {REMINDERS:,}",
            f"{REMINDERS:,}",
            result.sent_once == REMINDERS and result.unknown_logged == 0,
        ),
        Row(
            "reminders: worker peak RSS (sum of per-process peaks)",
            f"{sum(result.peak_rss) / MIB:.0f} MiB (main {worker / MIB:.0f} MiB, "
            f"processes {', '.join(f'{child / MIB:.0f}' for child in children)} MiB)",
        ),
    ]


def details(result: Outcome, sweeps: Sweeps, *, seed_seconds: float) -> dict:
    return {
        "reminders": REMINDERS,
        "seed_seconds": round(seed_seconds, 1),
        "seconds": round(result.seconds, 2),
        "reminders_per_second": round(result.per_second, 1),
        "sweeps": sweeps.sent_by_each,
        "timed_out": sweeps.timed_out,
        "worker_log": str(LOG_PATH.relative_to(RESULTS_DIR.parent.parent)),
        "worker_command": " ".join(["python", *worker_command()[1:]]),
        **{k: v for k, v in asdict(result).items() if k not in {"seconds", "peak_rss"}},
        "peak_rss_mib": [round(rss / MIB, 1) for rss in result.peak_rss],
    }


def run() -> Result:
    started = time.monotonic()
    seed(REMINDERS, now=timezone.now())
    seed_seconds = time.monotonic() - started
    with running(worker_command(), env=worker_env(), log_path=LOG_PATH) as worker:
        wait_until_ready(worker)
        sweeps = sweep_until_done()
        peak_rss = tree_peak_rss(worker.pid)
    result = outcome(sweeps, peak_rss)
    return Result(
        "reminders", rows(result, sweeps), details(result, sweeps, seed_seconds=seed_seconds)
    )
