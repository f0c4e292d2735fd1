"""Reminders for confirmed bookings (docs/design.md, safety rule 3, section 4).

Lifecycle: ``schedule_reminders`` when a booking is confirmed (and again when its session
moves), ``cancel_reminders`` when it is cancelled. ``sweep`` is what Celery beat runs every
minute: rows are claimed with ``select_for_update(skip_locked=True)`` and marked
"sending" before anything is sent, so two sweeps never take the same reminder, and no
long ETA task is ever queued (those are redelivered after Redis' visibility timeout).
Each message carries the reminder's idempotency reference; a reminder whose worker died
mid-send is looked up by it at the provider before anything is sent again.
"""

import functools
import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import notices.services as notices
from core import audit
from core.choices import AuditAction, Channel
from core.messaging.delivery import (
    CannotTell,
    DeliveryError,
    Message,
    TemporaryFailure,
    UnknownOutcome,
    backend_for,
)
from core.messaging.pace import Pacer
from core.messaging.safe_contact import SafeContactRules, automated_channel, latest_safe_moment
from core.refusals import Refused
from sessions_booking.models import Booking, BookingStatus, Reminder, ReminderStatus
from sessions_booking.rules.wording import render, saved_wordings, values_for, wording_for
from sessions_booking.services.links import issue_link

logger = logging.getLogger(__name__)

OPEN = [ReminderStatus.SCHEDULED, ReminderStatus.NEEDS_CALL, ReminderStatus.MERGED]
RESCHEDULABLE = [*OPEN, ReminderStatus.CANCELLED]
SAME_MOMENT = timedelta(hours=1)
MAX_ATTEMPTS = 5


def schedule_reminders(booking: Booking, *, now=None) -> list[Reminder]:
    """Create or move her reminders: one per offset of the programme, due that many hours
    before the session, brought forward into her safe times. A reminder that would go
    within an hour of the one before it (both moved to the end of the same safe window) is
    not needed: she gets one message, not two. Reminders already sent are left alone;
    offsets already past are not created."""
    now = now or timezone.now()
    if booking.status != BookingStatus.CONFIRMED:
        return []
    session, referral = booking.session, booking.referral
    rules = SafeContactRules.for_referral(referral)
    channel = automated_channel(rules=rules, phone=referral.phone, email=referral.email)
    reminders, previous = [], None
    for offset in sorted(session.programme.reminder_offsets_hours, reverse=True):
        due = session.starts_at - timedelta(hours=offset)
        if due <= now:
            continue
        send_at = latest_safe_moment(rules, due=due, not_before=now) if channel else None
        if send_at and previous and send_at - previous < SAME_MOMENT:
            status, send_at = ReminderStatus.MERGED, None
        else:
            status = ReminderStatus.SCHEDULED if send_at else ReminderStatus.NEEDS_CALL
        reminder, created = Reminder.objects.get_or_create(
            booking=booking,
            offset_hours=offset,
            defaults={
                "channel": channel or "",
                "due_at": due,
                "send_at": send_at,
                "status": status,
            },
        )
        if not created and reminder.status in RESCHEDULABLE:
            reminder.channel, reminder.due_at = channel or "", due
            reminder.send_at, reminder.status = send_at, status
            reminder.save(update_fields=["channel", "due_at", "send_at", "status"])
        previous = reminder.sent_at or reminder.send_at or previous
        reminders.append(reminder)
    return reminders


def cancel_reminders(booking_ids) -> int:
    return Reminder.objects.filter(booking_id__in=list(booking_ids), status__in=OPEN).update(
        status=ReminderStatus.CANCELLED
    )


def message_for(reminder: Reminder, *, link: str, saved=None) -> Message:
    """Her reminder in her language, discreet unless she allowed the service's name."""
    referral = reminder.booking.referral
    chosen = wording_for(
        language=referral.preferred_language,
        may_name_service=referral.may_name_service,
        saved=saved,
    )
    values = values_for(reminder.booking.session, link=link, language=chosen.language)
    subject, text = render(chosen, values)
    return Message(
        channel=reminder.channel,
        to=referral.phone if reminder.channel == Channel.SMS else referral.email,
        subject=subject,
        text=text,
        reference=str(reminder.idempotency_key),
    )


def claim_due_reminders(*, now=None, limit=100) -> list[int]:
    """Mark due reminders as sending and return their ids; skip rows another sweep holds."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=ReminderStatus.SCHEDULED, send_at__lte=now)
            .order_by("send_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        Reminder.objects.filter(pk__in=claimed).update(
            status=ReminderStatus.SENDING, sending_started_at=now
        )
    return claimed


def _set(reminder_id: int, status: ReminderStatus, **fields) -> None:
    Reminder.objects.filter(pk=reminder_id).update(status=status, **fields)


# What sending a reminder reads, and nothing more: no other field of her case is even
# fetched (or decrypted).
DELIVERY_FIELDS = [
    "channel", "attempts", "idempotency_key", "booking__status", "booking__session__starts_at",
    "booking__session__venue__address", "booking__session__programme__name",
    "booking__referral__phone", "booking__referral__email",
    "booking__referral__preferred_language", "booking__referral__may_name_service",
    "booking__referral__safe_channels", "booking__referral__safe_days",
    "booking__referral__safe_from", "booking__referral__safe_until",
]  # fmt: skip


class NoTurn(Exception):
    """The sending pace gave no turn before the sweep's deadline: nothing was sent."""


def deliver(reminder_id: int, *, saved=None, turn=None) -> bool:
    """Send one claimed (``sending``) reminder. Her rules are checked again first: they
    may have changed since it was scheduled. Raises the backend's DeliveryError.
    ``saved``: the admin-edited wordings (``wording.saved_wordings``), if already read.
    ``turn``: called just before the message leaves, to wait for a turn in the sending
    pace (``Pacer.wait_turn``); taking it last keeps the moments Notify counts as even as
    the pace. If it gives none, NoTurn is raised and the reminder is left "sending" for
    the caller to put back (the link issued for it was never sent, and expires unused)."""
    reminder = (
        Reminder.objects.select_related(
            "booking__referral", "booking__session__venue", "booking__session__programme"
        )
        .only(*DELIVERY_FIELDS)
        .filter(pk=reminder_id, status=ReminderStatus.SENDING)
        .first()
    )
    if reminder is None:
        return False
    booking, now = reminder.booking, timezone.now()
    if booking.status != BookingStatus.CONFIRMED or booking.session.starts_at <= now:
        _set(reminder.pk, ReminderStatus.CANCELLED)
        return False
    if not SafeContactRules.for_referral(booking.referral).may_send_now(reminder.channel, now=now):
        _set(
            reminder.pk,
            ReminderStatus.NEEDS_CALL,
            last_error=_("Not a safe time or channel to message her any more."),
        )
        return False
    message = message_for(reminder, link=issue_link(booking, now=now), saved=saved)
    if turn is not None and not turn():
        raise NoTurn
    provider_id = backend_for(reminder.channel).send(message)
    _set(
        reminder.pk,
        ReminderStatus.SENT,
        sent_at=timezone.now(),
        provider_reference=provider_id[:100],
        attempts=reminder.attempts + 1,
        last_error="",
    )
    return True


def record_failure(reminder_id: int, error: Exception, *, now=None) -> ReminderStatus:
    """After a failed send: try again later with exponential backoff (2, 4, 8, 16 minutes)
    on a temporary failure, until MAX_ATTEMPTS; a permanent failure, or the last attempt,
    marks the reminder failed, which puts it on her keyworker's list."""
    now = now or timezone.now()
    attempts = Reminder.objects.get(pk=reminder_id).attempts + 1
    give_up = not isinstance(error, TemporaryFailure) or attempts >= MAX_ATTEMPTS
    status = ReminderStatus.FAILED if give_up else ReminderStatus.SCHEDULED
    _set(
        reminder_id,
        status,
        attempts=attempts,
        last_error=str(error)[:300],
        send_at=now + timedelta(minutes=2**attempts),
    )
    logger.warning("reminder %s: send failed (attempt %s): %s", reminder_id, attempts, error)
    return status


def recover_stuck_reminders(*, now=None, limit=100) -> dict[str, int]:
    """Reminders left "sending" by a worker that died (claimed longer ago than
    settings.REMINDER_STUCK_AFTER_SECONDS, which outlives any task). Each is looked up at
    its provider by its idempotency reference: found means it was sent (recorded, never
    sent again); not found means it was not (sent again, same reference); a provider that
    cannot tell (SMTP) means nobody knows, so it is marked failed for her keyworker to
    check, rather than risk a second message."""
    now = now or timezone.now()
    counts = {"sent": 0, "resent": 0, "unknown": 0}
    cutoff = now - timedelta(seconds=settings.REMINDER_STUCK_AFTER_SECONDS)
    with transaction.atomic():
        stuck = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=ReminderStatus.SENDING, sending_started_at__lt=cutoff)
            .order_by("pk")[:limit]
        )
        for reminder in stuck:
            try:
                provider_id = backend_for(reminder.channel).lookup(str(reminder.idempotency_key))
            except CannotTell:
                counts["unknown"] += 1
                _set(
                    reminder.pk,
                    ReminderStatus.FAILED,
                    last_error=_(
                        "Sending was interrupted and may not have finished: check with her "
                        "before resending."
                    ),
                )
                continue
            except TemporaryFailure as error:
                logger.warning("reminder %s: lookup failed, will retry: %s", reminder.pk, error)
                continue
            except DeliveryError as error:  # the provider refused the lookup itself
                counts["unknown"] += 1
                _set(reminder.pk, ReminderStatus.FAILED, last_error=str(error)[:300])
                continue
            except Exception:  # one bad row must never stop every other reminder
                logger.exception("reminder %s: lookup crashed; left for later", reminder.pk)
                continue
            if provider_id:
                counts["sent"] += 1
                _set(
                    reminder.pk,
                    ReminderStatus.SENT,
                    sent_at=now,
                    provider_reference=provider_id[:100],
                    attempts=reminder.attempts + 1,
                )
            else:
                counts["resent"] += 1
                _set(reminder.pk, ReminderStatus.SCHEDULED, send_at=now)
    if any(counts.values()):
        logger.warning("recovered stuck reminders: %s", counts)
    return counts


def sweep(*, budget_seconds: float = 40.0, batch: int = 100) -> int:
    """What Celery beat runs every minute: recover stuck reminders, then claim and send
    due ones in batches until none are left or the time budget is spent (well inside the
    task's time limit; claimed reminders not reached in time are put back). Returns how
    many were sent."""
    try:
        recover_stuck_reminders()
    except Exception:  # recovery trouble must not stop today's reminders going out
        logger.exception("recovering stuck reminders failed")
    deadline = time.monotonic() + budget_seconds
    turn = functools.partial(Pacer().wait_turn, deadline=deadline)
    sent = 0
    while time.monotonic() < deadline:
        claimed = claim_due_reminders(limit=batch)
        if not claimed:
            break
        if len(claimed) == batch:
            call_for_help()
        saved = saved_wordings()
        for position, reminder_id in enumerate(claimed):
            # In due order, at the pace every worker shares (core.messaging.pace).
            if time.monotonic() >= deadline:
                release(claimed[position:])
                return sent
            try:
                sent += deliver_one(reminder_id, saved=saved, turn=turn)
            except NoTurn:
                release(claimed[position:])
                return sent
    return sent


def call_for_help() -> None:
    """A full batch means a backlog: start one more sweep on another worker process, at
    most once a minute (skip_locked keeps the two apart)."""
    from sessions_booking.tasks import send_due_reminders

    if cache.add("reminders:extra-sweep", 1, timeout=60):
        transaction.on_commit(lambda: notices.wake(send_due_reminders), robust=True)


def deliver_one(reminder_id: int, *, saved=None, turn=None) -> bool:
    """``deliver``, with failures recorded. When the outcome is unknown (the provider may
    have taken the message but its answer never came, or something broke after sending),
    the reminder stays "sending" so recovery looks it up by its reference: never sent
    blindly again. NoTurn is the caller's to handle."""
    try:
        return deliver(reminder_id, saved=saved, turn=turn)
    except NoTurn:
        raise
    except UnknownOutcome as error:
        logger.warning("reminder %s: outcome unknown, left for recovery: %s", reminder_id, error)
    except DeliveryError as error:
        record_failure(reminder_id, error)
    except Exception:
        logger.exception("reminder %s: sending crashed; left for recovery", reminder_id)
    return False


def release(reminder_ids) -> None:
    """Put claimed reminders that were never tried back in the queue."""
    Reminder.objects.filter(pk__in=list(reminder_ids), status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SCHEDULED
    )


RESENDABLE = [ReminderStatus.SENT, ReminderStatus.FAILED, ReminderStatus.NEEDS_CALL]


def resend_reminder(*, actor, reminder: Reminder, now=None) -> Reminder:
    """A keyworker asks for a reminder to go again now (she lost the message, or it
    failed). Only on a channel that is safe at this moment; a new idempotency reference
    makes it a new message. Audited, with what happened before."""
    now = now or timezone.now()
    booking = reminder.booking
    if reminder.status not in RESENDABLE:
        raise Refused(_("This reminder is not sent or failed, so it cannot be resent."))
    if booking.status != BookingStatus.CONFIRMED or booking.session.starts_at <= now:
        raise Refused(_("Only a confirmed place in a session still to come has reminders."))
    rules = SafeContactRules.for_referral(booking.referral)
    channel = automated_channel(
        rules=rules, phone=booking.referral.phone, email=booking.referral.email
    )
    if channel is None or not rules.moment_is_safe(now):
        raise Refused(
            _(
                "It is not safe to message her now (no safe channel, or outside her safe "
                "times). Call her within her safe times instead."
            )
        )
    before = {
        "status": reminder.status,
        "sent_at": reminder.sent_at and reminder.sent_at.isoformat(),
        "provider_reference": reminder.provider_reference,
    }
    reminder.channel, reminder.status, reminder.send_at = channel, ReminderStatus.SCHEDULED, now
    reminder.idempotency_key, reminder.attempts, reminder.last_error = uuid.uuid4(), 0, ""
    reminder.sent_at, reminder.provider_reference = None, ""
    reminder.save()
    audit.record(
        actor=actor,
        action=AuditAction.RESENT_REMINDER,
        referral=booking.referral,
        reminder=reminder.pk,
        offset_hours=reminder.offset_hours,
        before=before,
    )
    return reminder
