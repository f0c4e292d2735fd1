"""Messages to a woman: the one place that decides whether an email may go to her.

DESIGN.md section 3, rule 3: only on a channel she marked safe, only at a time she marked
safe, and discreet (no service name) unless she allowed it. Every task that emails her
calls ``email_her_if_safe``; none decides for itself."""

from django.conf import settings
from django.core.mail import send_mail

from core.bidi import isolate_text_if_bidi
from core.choices import Channel
from core.messaging.safe_contact import SafeContactRules


def email_her_if_safe(
    referral, *, subject: str, text: str, named_subject: str = "", named_text: str = ""
) -> bool:
    """Email her if email is safe now; the named wording only if she allowed the service to
    be named (by default the discreet subject prefixed with "Haven: "). Returns whether it
    was sent."""
    if not referral.email:
        return False
    if not SafeContactRules.for_referral(referral).may_send_now(Channel.EMAIL):
        return False
    if referral.may_name_service:
        subject = named_subject or f"Haven: {subject}"
        text = named_text or text
    # Written in a right-to-left language: her reference, numbers and links keep their order.
    subject, text = isolate_text_if_bidi(subject), isolate_text_if_bidi(text)
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [referral.email])
    return True
