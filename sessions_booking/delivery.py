"""Where reminders go. One small interface: ``send(channel, to, text, reference) -> id``.
Chosen by settings.REMINDER_BACKEND. GOV.UK Notify comes with the reminders issue."""

import logging

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger("haven.reminders")


class ConsoleBackend:
    """Development: SMS are written to the log; email goes through Django's email backend
    (the console, unless EMAIL_URL says otherwise)."""

    def send(self, *, channel: str, to: str, text: str, reference: str) -> str:
        if channel == "email":
            send_mail(text.split(":")[0], text, settings.DEFAULT_FROM_EMAIL, [to])
        else:
            logger.info("SMS to %s [%s]: %s", to, reference, text)
        return f"console-{reference}"
