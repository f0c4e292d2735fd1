"""Email through Django's email backend (SMTP, configured by EMAIL_URL). SMTP cannot be
asked afterwards whether a message went out, so ``lookup`` cannot tell."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid

from core.messaging.delivery import CannotTell, Message, PermanentFailure, TemporaryFailure


class SmtpBackend:
    channels = ("email",)

    def send(self, message: Message) -> str:
        message_id = make_msgid(idstring=message.reference[:32])
        email = EmailMessage(
            message.subject,
            message.text,
            settings.DEFAULT_FROM_EMAIL,
            [message.to],
            headers={"Message-ID": message_id},
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"address refused: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(str(error) or type(error).__name__) from error
        return message_id

    def lookup(self, reference: str) -> str | None:
        raise CannotTell("SMTP cannot say whether a message was sent.")
