"""Her case page's flag when a reminder to her will not arrive (core.case_flags)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.case_flags import CaseFlag
from sessions_booking.models import DeliveryStatus, Reminder


def undelivered_reminders(referral, *, user) -> list[CaseFlag]:
    """One query: the latest reminder for an upcoming session of hers that the provider
    could not deliver."""
    failed = (
        Reminder.objects.filter(
            booking__referral_id=referral.pk,
            booking__session__starts_at__gt=timezone.now(),
            delivery_status__in=[
                DeliveryStatus.PERMANENT_FAILURE,
                DeliveryStatus.TEMPORARY_FAILURE,
                DeliveryStatus.TECHNICAL_FAILURE,
            ],
        )
        .order_by("-delivery_status_at")
        .first()
    )
    if failed is None:
        return []
    return [
        CaseFlag(
            _("A reminder to her was not delivered (%(reason)s). Call her, and check her "
              "contact details.") % {"reason": failed.get_delivery_status_display()},
            level="warning",
        )
    ]  # fmt: skip
