"""Fixed lists for partner services, her support plan and onward referrals. Values are
stored; labels are shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportKind(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual-violence support")
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    MARAC = "marac", _("MARAC")
    HOUSING = "housing", _("Housing")
    FAMILY = "family", _("Children and family")
    SEXUAL_HEALTH = "sexual_health", _("Sexual health")
    GP = "gp", _("GP")
    PROBATION = "probation", _("Probation or women's centre")
    OTHER = "other", _("Other")


class HowToRefer(models.TextChoices):
    SECURE_EMAIL = "secure_email", _("Secure email")
    PHONE = "phone", _("Phone")
    PORTAL = "portal", _("Online portal")


class NeedSource(models.TextChoices):
    REFERRAL = "referral", _("From her referral")
    ASSESSMENT = "assessment", _("From assessment")


class OnwardStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    APPOINTMENT_OFFERED = "appointment_offered", _("Appointment offered")
    SUPPORT_STARTED = "support_started", _("Support started")
    DECLINED_BY_HER = "declined_by_her", _("Declined by her")
    NOT_ACCEPTED = "not_accepted", _("Not accepted by the partner")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Still waiting for support to start: what the chase list and the waits count.
WAITING = [OnwardStatus.SENT, OnwardStatus.ACKNOWLEDGED, OnwardStatus.APPOINTMENT_OFFERED]
ENDED = [OnwardStatus.DECLINED_BY_HER, OnwardStatus.NOT_ACCEPTED, OnwardStatus.WITHDRAWN]


class SharedDetail(models.TextChoices):
    """What she may agree to share with a partner, one by one."""

    NAME = "name", _("Her name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    CONTACT = "contact", _("How to contact her safely (phone, email, safe times)")
    ADDRESS = "address", _("Postal address")
    NEED = "need", _("What she needs help with")
    SUBSTANCES = "substances", _("Substances she uses")
    SAFETY = "safety", _("Domestic abuse or sexual violence")
    CHILDREN = "children", _("Her children")
    LANGUAGE = "language", _("Language and interpreter")
    ACCESS = "access", _("Access needs")


class RiskTool(models.TextChoices):
    DASH = "dash_ric", _("SafeLives DASH risk checklist")
    OTHER = "other", _("Another tool")


class RiskLevel(models.TextChoices):
    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
