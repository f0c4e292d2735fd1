"""Queueing notices with a change, and delivering them afterwards.

Delivery is at least once and, in practice, once: a notice's row stays locked while its
handler sends, and is marked sent in the same transaction, so two workers (the wake-up task
and the sweep) never both send it. Only a worker that dies after the provider took the
message but before the commit would send it again. Handlers that must never repeat
themselves also keep their own mark (``referrals.tasks.notify_team``).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notices.models import WAITING, Notice
from notices.registry import UnknownKind, handler_for, is_registered

logger = logging.getLogger(__name__)

# After a failure: 1, 2, 4, ... minutes, at most an hour apart; given up after this many
# tries (about 7 hours), logged as an error for the operators (docs/operations.md).
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
MOST_ATTEMPTS = 12
# Sent notices are kept this long (what was sent when), then deleted by the sweep.
KEEP_SENT_FOR = timedelta(days=30)
# A failed wake-up means the broker is down: the next ones would fail too, each costing the
# request time. The sweep delivers meanwhile; try waking a worker again after this.
QUIET_AFTER_FAILED_WAKE_UP = 30.0

_quiet_until = 0.0


def queue(kind: str, *subject_ids: int) -> list[Notice]:
    """Write a notice for each id in the caller's transaction (call it inside the change's
    ``transaction.atomic``); a worker is woken after the commit. Never raises for Redis."""
    if not is_registered(kind):
        raise UnknownKind(kind)
    notices = Notice.objects.bulk_create([Notice(kind=kind, subject_id=pk) for pk in subject_ids])
    if notices:
        transaction.on_commit(wake_worker, robust=True)
    return notices


def wake_worker() -> bool:
    """After a commit that queued notices: ask a worker to deliver them now."""
    from notices.tasks import deliver_waiting_notices

    return wake(deliver_waiting_notices)


def wake(task) -> bool:
    """Queue ``task`` (no arguments) to run now, as a nudge: work it would do is kept in
    PostgreSQL and swept anyway. One try, on a connection of its own that waits at most
    ``WAKE_UP_BROKER_TIMEOUT`` for Redis; after a failure, no more tries from this process
    for a while. Never raises: a broker outage is never the request's problem."""
    global _quiet_until
    if time.monotonic() < _quiet_until:
        return False
    timeout = settings.WAKE_UP_BROKER_TIMEOUT
    try:
        with task.app.connection_for_write(
            connect_timeout=timeout,
            transport_options={
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                # One more try at once, then give up: kombu's default backs off for ~2 s.
                "max_retries": 1,
                "interval_start": 0,
                "interval_step": 0,
                "interval_max": 0,
            },
        ) as connection:
            task.apply_async(connection=connection, retry=False)
    except Exception as error:  # refused, timed out, or anything else the broker did
        _quiet_until = time.monotonic() + QUIET_AFTER_FAILED_WAKE_UP
        logger.warning("could not queue %s (%s); the sweep will do its work", task.name, error)
        return False
    return True


def forget_failed_wake_ups() -> None:
    """Try waking workers again at once (tests; a process that knows the broker is back)."""
    global _quiet_until
    _quiet_until = 0.0


def deliver(notice_id: int, *, now=None) -> bool:
    """Send one waiting notice that is due, if no other worker holds it. Returns whether it
    was sent. A failure is recorded on the notice and tried again later."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=True)
            .filter(WAITING, pk=notice_id, due_at__lte=now)
            .first()
        )
        if notice is None:
            return False  # sent, given up, not due, or being sent right now
        try:
            with transaction.atomic():
                handler_for(notice.kind)(notice.subject_id)
        except Exception as error:
            record_failure(notice, error, now=now)
            return False
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
        return True


def record_failure(notice: Notice, error: Exception, *, now) -> None:
    notice.attempts += 1
    notice.last_error = f"{type(error).__name__}: {error}"[:200]
    if notice.attempts >= MOST_ATTEMPTS:
        notice.given_up_at = now
        logger.error("notices: gave up on %s after %s tries: %s", notice, notice.attempts,
                     notice.last_error)  # fmt: skip
    else:
        wait = min(FIRST_RETRY * 2 ** (notice.attempts - 1), LONGEST_RETRY)
        notice.due_at = now + wait
        logger.warning("notices: %s failed (try %s), again at %s: %s", notice, notice.attempts,
                       notice.due_at, notice.last_error)  # fmt: skip
    notice.save(update_fields=["attempts", "last_error", "given_up_at", "due_at"])


def deliver_waiting(*, limit: int = 500, now=None) -> int:
    """Every due notice, oldest first (at most ``limit``); sent notices past their keeping
    time are deleted. Returns how many were sent."""
    now = now or timezone.now()
    Notice.objects.filter(sent_at__lt=now - KEEP_SENT_FOR).delete()
    due = (
        Notice.objects.filter(WAITING, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk, now=now) for pk in list(due))
