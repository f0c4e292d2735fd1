"""Messages to a woman: the one place that decides whether and how a message may reach her.

Only on a channel she marked safe, only at a time she marked safe, and discreet (no service
name) unless she allowed it. Every message to her that is not a scheduled reminder goes
through ``message_her_if_safe`` (reminders are timed by the same rules, in
``sessions_booking.services.reminders``, and sent through the same delivery backends).
Each message takes its turn in the sending pace every worker shares (core.messaging.pace)."""

import time
import uuid

from django.conf import settings

from core.bidi import isolate_text_if_bidi
from core.choices import Channel
from core.messaging.delivery import Message, TemporaryFailure, backend_for
from core.messaging.pace import Pacer
from core.messaging.safe_contact import SafeContactRules, automated_channel

# The longest a message waits for its turn in the pace before it is tried again later (a
# notice's retry, notices.services): only a backlog of reminders makes it wait at all.
TURN_WAIT_SECONDS = 10


def message_her_if_safe(
    her,
    *,
    subject: str,
    text: str,
    named_subject: str = "",
    named_text: str = "",
    channels=(Channel.SMS, Channel.EMAIL),
) -> Channel | None:
    """Text or email her now (SMS first, among ``channels``), if a channel she marked safe
    exists and now is a safe time. The named wording only if she allowed the service to be
    named (by default the discreet subject after the service's name). ``her`` is her
    referral, or anything with its contact fields. Returns the channel used, or None."""
    rules = SafeContactRules.for_referral(her)
    channel = automated_channel(
        rules=rules,
        phone=her.phone if Channel.SMS in channels else "",
        email=her.email if Channel.EMAIL in channels else "",
    )
    if channel is None or not rules.may_send_now(channel):
        return None
    if her.may_name_service:
        subject = named_subject or f"{settings.SERVICE_NAME}: {subject}"
        text = named_text or text
    # Written in a right-to-left language: her reference, numbers and links keep their order.
    subject, text = isolate_text_if_bidi(subject), isolate_text_if_bidi(text)
    if not Pacer().wait_turn(deadline=time.monotonic() + TURN_WAIT_SECONDS):
        raise TemporaryFailure("No turn in the sending pace yet: a backlog is being sent.")
    backend_for(channel).send(
        Message(
            channel=channel,
            to=her.phone if channel == Channel.SMS else her.email,
            subject=subject,
            text=text,
            reference=str(uuid.uuid4()),
        )
    )
    return channel


def email_her_if_safe(her, **wording) -> bool:
    """``message_her_if_safe`` by email only. Returns whether it was sent."""
    return message_her_if_safe(her, channels=(Channel.EMAIL,), **wording) is not None
