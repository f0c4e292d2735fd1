"""GOV.UK Notify (notifications-python-client), for SMS and email.

Notify holds one template per channel whose content is just ``((body))`` (and subject
``((subject))`` for email): the wording is ours, checked for discretion before it is
saved. Our idempotency reference is sent as Notify's ``reference`` and is how a message
is found again (``GET /v2/notifications?reference=``)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from sessions_booking.delivery import Message, PermanentFailure, TemporaryFailure


def _failure(error: APIError):
    """429 (rate or daily limit) and 5xx (including network errors, which the client
    reports as 503) are temporary; any other 4xx means this message will never go."""
    status = error.status_code
    text = f"Notify {status}: {error.message}"[:300]
    if status == 429 or status >= 500:
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
            raise _failure(error) from error
        return response["id"]

    def lookup(self, reference: str) -> str | None:
        try:
            found = self.client.get_all_notifications(reference=reference)
        except APIError as error:
            raise _failure(error) from error
        notifications = found.get("notifications") or []
        return notifications[0]["id"] if notifications else None
