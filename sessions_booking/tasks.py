"""Telling a woman (and her keyworker) about changes to her bookings.

Whether and how she may be messaged is decided by ``core.messaging.gate`` (a channel she
marked safe, at a time she marked safe, discreet unless she allowed the service's name).
When she cannot be told safely, her keyworker is asked to tell her.

The ``tell_*`` functions deliver notices (``notices``): each is queued with the change that
causes it, in the same transaction, and sent by a worker afterwards; a failure (an SMTP or
provider error) is tried again later. The kinds are registered in ``sessions_booking.apps``."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from core.choices import Channel
from core.dates import short_date_time
from core.messaging.gate import message_her_if_safe
from sessions_booking.models import Booking
from sessions_booking.rules.wording import one_line

logger = logging.getLogger(__name__)


def describe(session) -> str:
    when = short_date_time(session.starts_at)
    return f"{when}, {one_line(session.venue.address)}"


def tell_keyworker(referral, *, told_by: str | None, what: str) -> None:
    keyworker = referral.assigned_to
    if keyworker is None or not keyworker.is_active:
        return
    link = settings.SITE_URL + reverse("referrals:case_detail", args=[referral.pk])
    follow_up = (
        {
            Channel.SMS: _("She was told by text message."),
            Channel.EMAIL: _("She was told by email."),
        }[told_by]
        if told_by
        else _("She could not be messaged safely: please tell her within her safe times.")
    )
    send_mail(
        _("A client's group booking changed"),
        f"{what}\n\n{follow_up}\n\n{link}\n",
        settings.DEFAULT_FROM_EMAIL,
        [keyworker.email],
    )


def tell_both(booking_id: int, *, statuses, subject: str, text: str, what: str) -> bool:
    """Tell her about her booking (``text`` gets ``%(session)s``: time and place) if that is
    safe, and her keyworker either way. Nothing if the booking is no longer in ``statuses``."""
    booking = (
        Booking.objects.select_related("referral__assigned_to", "session__venue")
        .filter(pk=booking_id, status__in=statuses)
        .first()
    )
    if booking is None:
        return False
    told_by = message_her_if_safe(
        booking.referral,
        subject=subject,
        text=text % {"session": describe(booking.session), "phone": settings.SERVICE_PHONE},
    )
    tell_keyworker(booking.referral, told_by=told_by, what=what)
    return told_by is not None


def tell_about_promotion(booking_id: int) -> bool:
    return tell_both(
        booking_id,
        statuses=["confirmed"],
        subject=_("A place has come up"),
        # Nobody reads replies to our texts: she is asked to call instead.
        text=_(
            "A place has come up for you: %(session)s. If you cannot come, please call %(phone)s."
        ),
        what=_("A waitlisted booking has been confirmed."),
    )


def tell_about_cancelled_session(booking_id: int) -> bool:
    return tell_both(
        booking_id,
        statuses=["cancelled"],
        subject=_("Appointment cancelled"),
        text=_("Sorry: the appointment on %(session)s is cancelled. We will be in touch."),
        what=_("A group session she was booked into has been cancelled."),
    )


def tell_about_changed_session(booking_id: int) -> bool:
    return tell_both(
        booking_id,
        statuses=["confirmed", "waitlisted"],
        subject=_("Appointment changed"),
        text=_("Please note the new time or place of your appointment: %(session)s."),
        what=_("The time or place of a group session she is booked into has changed."),
    )


def tell_keyworker_she_cancelled(booking_id: int) -> bool:
    """Her keyworker hears when she cancels through her reminder link."""
    booking = Booking.objects.select_related("referral__assigned_to").filter(pk=booking_id).first()
    keyworker = booking and booking.referral.assigned_to
    if not keyworker or not keyworker.is_active:
        return False
    link = settings.SITE_URL + reverse("referrals:case_detail", args=[booking.referral_id])
    text = _(
        "She cancelled her group place using the link in her reminder. The place went to "
        "the first woman on the waiting list who fits, if anyone was waiting."
    )
    send_mail(
        _("A client cancelled a group place"),
        f"{text}\n\n{link}\n",
        settings.DEFAULT_FROM_EMAIL,
        [keyworker.email],
    )
    return True


@shared_task(name="sessions_booking.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """The beat sweep (every minute): sessions_booking.services.reminders.sweep."""
    from sessions_booking.services.reminders import sweep

    return sweep()


@shared_task(name="sessions_booking.tasks.look_up_delivery_statuses")
def look_up_delivery_statuses() -> int:
    """Every 10 minutes, when Notify does not call back (no NOTIFY_CALLBACK_TOKEN): ask it
    what became of recent reminders (sessions_booking.services.receipts)."""
    if settings.NOTIFY_CALLBACK_TOKEN:
        return 0
    from sessions_booking.services.receipts import look_up_delivery_statuses as look_up

    return look_up()
