"""Messages about referrals, sent by Celery after the referral has been committed."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from referrals.choices import Channel
from referrals.models import Referral
from referrals.reference import format_reference_code
from referrals.safe_contact import SafeContactRules

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(name="referrals.tasks.notify_team_of_new_referral", **RETRY)
def notify_team_of_new_referral(referral_id: int) -> int:
    """Email the referral's team that something is waiting. No personal details: only a link."""
    referral = Referral.objects.select_related("team").filter(pk=referral_id).first()
    if referral is None:
        return 0
    recipients = list(
        User.objects.filter(
            team=referral.team,
            is_active=True,
            groups__name__in=[Role.KEYWORKER.group_name, Role.TEAM_LEAD.group_name],
        )
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        logger.warning(
            "referral %s: team %s has no active staff to notify", referral.pk, referral.team_id
        )
        return 0
    link = settings.SITE_URL + reverse("staff_home")
    send_mail(
        subject=_("New referral waiting"),
        message=_(
            "A new referral is waiting in your team's queue.\n\nSign in to see it: %(link)s\n"
        )
        % {"link": link},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@shared_task(name="referrals.tasks.send_referral_confirmation", **RETRY)
def send_referral_confirmation(referral_id: int) -> bool:
    """Send her reference code by email, only if she said email is safe and it is a safe time
    now. Otherwise nothing is sent: she saw the code on screen. Discreet unless she allowed
    messages to name the service."""
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None or not referral.email:
        return False
    if not SafeContactRules.for_referral(referral).may_send_now(Channel.EMAIL):
        return False
    code = format_reference_code(referral.reference)
    if referral.may_name_service:
        subject = _("Haven: we have your referral")
        body = _("Thank you. Your Haven reference is %(code)s. We will be in touch as you asked.")
    else:
        subject = _("Your reference")
        body = _("Thank you. Your reference is %(code)s. We will be in touch as you asked.")
    send_mail(
        subject=subject,
        message=body % {"code": code},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[referral.email],
    )
    return True
