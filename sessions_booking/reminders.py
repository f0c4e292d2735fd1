"""Reminders for confirmed bookings (DESIGN.md section 3 rule 3, section 4).

Lifecycle: ``schedule_reminders`` when a booking is confirmed (and again when its session
moves), ``cancel_reminders`` when it is cancelled. ``claim_due_reminders`` and
``deliver`` are the sweep Celery beat runs every minute: rows are claimed with
``select_for_update(skip_locked=True)``, so two sweeps never take the same reminder, and
no long ETA task is ever queued (those are redelivered after Redis' visibility timeout).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from referrals.safe_contact import SafeContactRules, automated_channel, latest_safe_moment
from sessions_booking.models import Booking, BookingStatus, Reminder, ReminderStatus

logger = logging.getLogger(__name__)

OPEN = [ReminderStatus.SCHEDULED, ReminderStatus.NEEDS_CALL]


def schedule_reminders(booking: Booking, *, now=None) -> list[Reminder]:
    """Create or move her reminders: one per offset of the programme, due that many hours
    before the session, brought forward into her safe times. Reminders already sent are
    left alone; offsets already past are not created."""
    now = now or timezone.now()
    if booking.status != BookingStatus.CONFIRMED:
        return []
    session, referral = booking.session, booking.referral
    rules = SafeContactRules.for_referral(referral)
    channel = automated_channel(rules=rules, phone=referral.phone, email=referral.email)
    reminders = []
    for offset in session.programme.reminder_offsets_hours:
        due = session.starts_at - timedelta(hours=offset)
        if due <= now:
            continue
        send_at = latest_safe_moment(rules, due=due, not_before=now) if channel else None
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
        if not created and reminder.status in [*OPEN, ReminderStatus.CANCELLED]:
            reminder.channel, reminder.due_at = channel or "", due
            reminder.send_at, reminder.status = send_at, status
            reminder.save(update_fields=["channel", "due_at", "send_at", "status"])
        reminders.append(reminder)
    return reminders


def cancel_reminders(booking_ids) -> int:
    return Reminder.objects.filter(booking_id__in=list(booking_ids), status__in=OPEN).update(
        status=ReminderStatus.CANCELLED
    )


def message_text(reminder: Reminder) -> str:
    """Discreet unless she allowed messages to name the service: time and place only."""
    session, referral = reminder.booking.session, reminder.booking.referral
    when = date_format(timezone.localtime(session.starts_at), "D j M H:i")
    where = session.venue.address.replace("\n", ", ")
    if referral.may_name_service:
        return _("Haven reminder: %(programme)s, %(when)s at %(where)s.") % {
            "programme": session.programme.name, "when": when, "where": where,
        }  # fmt: skip
    return _("Reminder: %(when)s at %(where)s.") % {"when": when, "where": where}


def claim_due_reminders(*, now=None, limit=500) -> list[int]:
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


def delivery_backend():
    return import_string(settings.REMINDER_BACKEND)()


def deliver(reminder_id: int, *, backend=None) -> bool:
    """Send one claimed reminder once. The send is checked against her rules again (they may
    have changed since it was scheduled)."""
    reminder = (
        Reminder.objects.select_related("booking__referral", "booking__session__venue",
                                        "booking__session__programme")
        .filter(pk=reminder_id, status=ReminderStatus.SENDING)
        .first()
    )  # fmt: skip
    if reminder is None:
        return False
    referral = reminder.booking.referral
    rules = SafeContactRules.for_referral(referral)
    if (
        not rules.may_send_now(reminder.channel)
        or reminder.booking.status != BookingStatus.CONFIRMED
    ):
        Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.CANCELLED)
        return False
    to = referral.phone if reminder.channel == "sms" else referral.email
    reference = (backend or delivery_backend()).send(
        channel=reminder.channel, to=to, text=message_text(reminder),
        reference=str(reminder.idempotency_key),
    )  # fmt: skip
    Reminder.objects.filter(pk=reminder.pk).update(
        status=ReminderStatus.SENT, sent_at=timezone.now(), provider_reference=reference or "",
        attempts=reminder.attempts + 1,
    )  # fmt: skip
    return True
