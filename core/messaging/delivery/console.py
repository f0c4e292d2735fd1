"""Development backend: SMS are written to the log, email goes through Django's email
backend (the console in development). Like a real provider it remembers each message's
reference (in the cache, for a week) so a stuck reminder can be looked up."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail

from core.messaging.delivery import Message

logger = logging.getLogger("haven.messages")
REMEMBER_FOR = 60 * 60 * 24 * 7


class ConsoleBackend:
    channels = ("sms", "email")

    def send(self, message: Message) -> str:
        provider_id = f"console-{uuid.uuid4()}"
        cache.set(f"console-message:{message.reference}", provider_id, REMEMBER_FOR)
        if message.channel == "email":
            send_mail(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [message.to])
        else:
            logger.info("SMS to %s [%s]: %s", message.to, message.reference, message.text)
        return provider_id

    def lookup(self, reference: str) -> str | None:
        return cache.get(f"console-message:{reference}")
