"""GOV.UK Notify (notifications-python-client), for SMS and email.

Notify holds one template per channel whose content is just ``((body))`` (and subject
``((subject))`` for email): the wording is ours, checked for discretion before it is
saved. Our idempotency reference is sent as Notify's ``reference`` and is how a message
is found again (``GET /v2/notifications?reference=``)."""

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from notifications_python_client.errors import APIError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient

from core.messaging.delivery import (
    Message,
    PermanentFailure,
    TemporaryFailure,
    UnknownOutcome,
)


def _failure(error: APIError, *, sending: bool):
    """429 (rate or daily limit) and 5xx answers are temporary; any other 4xx means this
    message will never go. No answer at all (a timeout, a dropped connection: the client
    reports those as 503 without a response) or an unreadable 2xx leaves a send's outcome
    unknown, unless the connection was never made."""
    status = error.status_code
    text = f"Notify {status}: {error.message}"[:300]
    never_connected = isinstance(error.__cause__, requests.exceptions.ConnectTimeout)
    no_answer = error.response is None or isinstance(error, InvalidResponse)
    if sending and no_answer and not never_connected:
        return UnknownOutcome(text)
    if status == 429 or status >= 500 or error.response is None:
        return TemporaryFailure(text)
    return PermanentFailure(text)


class NotifyBackend:
    channels = ("sms", "email")

    def __init__(self):
        if not settings.NOTIFY_API_KEY:
            raise ImproperlyConfigured("NOTIFY_API_KEY is not set.")
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )

    def send(self, message: Message) -> str:
        try:
            if message.channel == "sms":
                response = self.client.send_sms_notification(
                    phone_number=message.to,
                    template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                    personalisation={"body": message.text},
                    reference=message.reference,
                    sms_sender_id=settings.NOTIFY_SMS_SENDER_ID or None,
                )
            else:
                response = self.client.send_email_notification(
                    email_address=message.to,
                    template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                    personalisation={"subject": message.subject, "body": message.text},
                    reference=message.reference,
                    email_reply_to_id=settings.NOTIFY_EMAIL_REPLY_TO_ID or None,
                )
        except APIError as error:
            raise _failure(error, sending=True) from error
        return response["id"]

    def delivery_status(self, provider_id: str) -> str | None:
        """Notify's status for a message it took ("delivered", "permanent-failure"...)."""
        try:
            return self.client.get_notification_by_id(provider_id).get("status")
        except APIError as error:
            if error.status_code == 404:
                return None
            raise _failure(error, sending=False) from error

    def lookup(self, reference: str) -> str | None:
        try:
            found = self.client.get_all_notifications(reference=reference)
        except APIError as error:
            raise _failure(error, sending=False) from error
        notifications = found.get("notifications") or []
        return notifications[0]["id"] if notifications else None
