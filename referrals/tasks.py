"""Messages about referrals, sent by Celery after the referral has been committed."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from referrals.messaging import MESSAGE_TASK_RETRY, email_her_if_safe
from referrals.models import Referral
from referrals.reference import format_reference_code

logger = logging.getLogger(__name__)


@shared_task(name="referrals.tasks.notify_team_of_new_referral", **MESSAGE_TASK_RETRY)
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


@shared_task(name="referrals.tasks.send_referral_confirmation", **MESSAGE_TASK_RETRY)
def send_referral_confirmation(referral_id: int) -> bool:
    """Send her reference code by email, only if email is safe now (otherwise nothing is
    sent: she saw the code on screen)."""
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return False
    code = {"code": format_reference_code(referral.reference)}
    return email_her_if_safe(
        referral,
        subject=_("Your reference"),
        text=_("Thank you. Your reference is %(code)s. We will be in touch as you asked.") % code,
        named_subject=_("Haven: we have your referral"),
        named_text=_(
            "Thank you. Your Haven reference is %(code)s. We will be in touch as you asked."
        )
        % code,
    )
