"""What became of a message after the provider took it: GOV.UK Notify's delivery receipts
(its callbacks, or a look-up when callbacks are not configured). A message that will not
arrive fails its reminder with the reason, which puts her on her keyworker's "reminder
calls to make" and on her case. Every status Notify reports here is final, so a receipt
for a reminder that already has one changes nothing (Notify may call back twice, or a
look-up may race a callback)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.messaging.delivery import TemporaryFailure, backend_for
from sessions_booking.models import DeliveryStatus, Reminder, ReminderStatus

logger = logging.getLogger(__name__)

# Notify's words for its final statuses.
FROM_NOTIFY = {
    "delivered": DeliveryStatus.DELIVERED,
    "permanent-failure": DeliveryStatus.PERMANENT_FAILURE,
    "temporary-failure": DeliveryStatus.TEMPORARY_FAILURE,
    "technical-failure": DeliveryStatus.TECHNICAL_FAILURE,
}


def record_delivery_status(*, provider_reference: str, status: str, at: datetime | None = None):
    """Record Notify's final status (its own word, e.g. "permanent-failure") for the
    reminder it sent as ``provider_reference``. Returns True when something changed."""
    delivery = FROM_NOTIFY.get(status)
    if delivery is None or not provider_reference:
        return False  # "created", "sending", "pending": not final; nothing to record yet
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .filter(provider_reference=provider_reference)
            .first()
        )
        if reminder is None or reminder.delivery_status:
            return False
        reminder.delivery_status = delivery
        reminder.delivery_status_at = at or timezone.now()
        fields = ["delivery_status", "delivery_status_at"]
        if delivery != DeliveryStatus.DELIVERED:
            reminder.status = ReminderStatus.FAILED
            reminder.last_error = str(delivery.label)
            fields += ["status", "last_error"]
        reminder.save(update_fields=fields)
    logger.info("reminder %s: %s", reminder.pk, delivery)
    return True


def reminders_awaiting_receipts(*, now=None):
    """Reminders Notify took in the last DELIVERY_LOOKUP_HOURS with no final status yet."""
    now = now or timezone.now()
    return Reminder.objects.filter(
        status=ReminderStatus.SENT,
        delivery_status="",
        sent_at__gte=now - timedelta(hours=settings.DELIVERY_LOOKUP_HOURS),
    ).exclude(provider_reference="")


def look_up_delivery_statuses(*, now=None, limit: int = 500) -> int:
    """Ask the provider what became of recent messages (when it does not call back).
    Returns how many receipts were recorded."""
    recorded = 0
    backends = {}
    for reminder in reminders_awaiting_receipts(now=now).order_by("sent_at")[:limit]:
        if reminder.channel not in backends:
            backends[reminder.channel] = backend_for(reminder.channel)
        backend = backends[reminder.channel]
        if not hasattr(backend, "delivery_status"):
            continue  # console and SMTP cannot say
        try:
            status = backend.delivery_status(reminder.provider_reference)
        except TemporaryFailure as failure:
            logger.warning("delivery status look-up failed: %s", failure)
            break  # the provider is not answering: try again at the next run
        recorded += record_delivery_status(
            provider_reference=reminder.provider_reference, status=status or ""
        )
    return recorded
