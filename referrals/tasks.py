"""Messages about referrals: delivered by a worker from the notices a new referral queues
(``notices``; the kinds are registered in ``referrals.apps``), and the nightly retention run."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.messaging.gate import email_her_if_safe
from core.permissions import Role
from referrals.models import Referral
from referrals.rules.reference import format_reference_code

logger = logging.getLogger(__name__)


def notify_team(referral_id: int) -> int:
    """Email the referral's team that something is waiting (no personal details: only a
    link), once. The row is locked while the mail goes, so the task and the sweep never
    both send; a failed send rolls back and is tried again. Returns how many were told."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("team")
            .only("pk", "team", "team_notified_at")
            .filter(pk=referral_id, team_notified_at__isnull=True)
            .first()
        )
        if referral is None:
            return 0  # told already, or being told right now
        recipients = list(
            User.objects.filter(
                team=referral.team,
                is_active=True,
                groups__name__in=[Role.KEYWORKER.group_name, Role.TEAM_LEAD.group_name],
            )
            .values_list("email", flat=True)
            .distinct()
        )
        if recipients:
            link = settings.SITE_URL + reverse("home:staff_home")
            send_mail(
                subject=_("New referral waiting"),
                message=_(
                    "A new referral is waiting in your team's queue.\n\n"
                    "Sign in to see it: %(link)s\n"
                )
                % {"link": link},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        else:
            logger.warning(
                "referral %s: team %s has no active staff to notify", referral.pk, referral.team_id
            )
        referral.team_notified_at = timezone.now()
        referral.save(update_fields=["team_notified_at"])
    return len(recipients)


def notify_team_of_new_referral(referral_id: int) -> int:
    """Notice ``referrals.team_told``."""
    return notify_team(referral_id)


def send_referral_confirmation(referral_id: int) -> bool:
    """Send her reference code by email, only if email is safe now (otherwise nothing is
    sent: she saw the code on screen)."""
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return False
    code = {"code": format_reference_code(referral.reference), "service": settings.SERVICE_NAME}
    return email_her_if_safe(
        referral,
        subject=_("Your reference"),
        text=_("Thank you. Your reference is %(code)s. We will be in touch as you asked.") % code,
        named_subject=_("%(service)s: we have your referral") % code,
        named_text=_(
            "Thank you. Your %(service)s reference is %(code)s. We will be in touch as you asked."
        )
        % code,
    )
