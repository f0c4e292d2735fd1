"""Where messages to women go: one small interface, a backend per channel.

A backend has two methods:

- ``send(message) -> str`` hands one message to the provider and returns the provider's
  id for it. ``message.reference`` is our idempotency reference: the provider keeps it
  with the message.
- ``lookup(reference) -> str | None`` asks the provider whether it already has a message
  with that reference (its id) or not (None). A backend that cannot tell raises
  ``CannotTell``; a reminder whose sender died mid-send is then never re-sent blindly.

Errors: ``TemporaryFailure`` (rate limits, provider outages: try again later),
``PermanentFailure`` (the provider refused the message itself: trying again cannot help)
and ``UnknownOutcome`` (no answer came: it may have been taken, so look it up first).
Backends are chosen by settings.MESSAGES_SMS_BACKEND and MESSAGES_EMAIL_BACKEND.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

BACKENDS = {
    "console": "core.messaging.delivery.console.ConsoleBackend",
    "smtp": "core.messaging.delivery.smtp.SmtpBackend",
    "notify": "core.messaging.delivery.notify.NotifyBackend",
}


@dataclass(frozen=True)
class Message:
    channel: str  # "sms" or "email"
    to: str
    text: str
    reference: str
    subject: str = ""


class DeliveryError(Exception):
    """The provider did not take the message."""


class TemporaryFailure(DeliveryError):
    """Worth trying again later (rate limited, provider down, network error)."""


class PermanentFailure(DeliveryError):
    """The provider refused this message; trying again will not help."""


class UnknownOutcome(DeliveryError):
    """The provider may or may not have taken the message (its answer never came). It must
    be looked up by reference before anything is sent again."""


class CannotTell(Exception):
    """The backend cannot find out whether a message was sent."""


def backend_for(channel: str):
    """The configured backend instance for ``channel``."""
    name = {"sms": settings.MESSAGES_SMS_BACKEND, "email": settings.MESSAGES_EMAIL_BACKEND}.get(
        channel
    )
    if name is None:
        raise ImproperlyConfigured(f"No message backend for channel {channel!r}.")
    backend = import_string(BACKENDS.get(name, name))()
    if channel not in backend.channels:
        raise ImproperlyConfigured(f"The {name!r} backend cannot send {channel}.")
    return backend
