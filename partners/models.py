"""Partner organisations and the services they run; her support plan (needs, onward
referrals to partner services and their steps) and domestic-abuse risk assessments."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from partners.choices import (
    WAITING,
    HowToRefer,
    NeedSource,
    OnwardStatus,
    RiskLevel,
    RiskTool,
    SharedDetail,
    SupportKind,
)
from referrals.choices import Language

SHORT_TEXT = 200
LONG_TEXT = 2000


class PartnerOrganisation(models.Model):
    name = models.CharField(_("organisation"), max_length=SHORT_TEXT, unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerService(models.Model):
    """A service a partner runs, the areas it covers and how to refer to it."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="services",
        verbose_name=_("organisation"),
    )  # fmt: skip
    name = models.CharField(_("service"), max_length=SHORT_TEXT)
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    teams = models.ManyToManyField(
        "accounts.Team", blank=True, related_name="partner_services",
        verbose_name=_("teams whose area it covers"),
    )  # fmt: skip
    local_authorities = ArrayField(
        models.CharField(max_length=80), default=list, blank=True,
        verbose_name=_("local authorities it covers"),
        help_text=_("Council areas, such as Birmingham or Stoke-on-Trent."),
    )  # fmt: skip
    women_only = models.BooleanField(_("women only"), default=False)
    languages = ArrayField(
        models.CharField(max_length=10, choices=Language.choices), default=list, blank=True,
        verbose_name=_("languages offered"),
    )  # fmt: skip
    how_to_refer = models.CharField(_("how to refer"), max_length=20, choices=HowToRefer.choices)
    referral_contact = models.CharField(
        _("where to send referrals"), max_length=SHORT_TEXT,
        help_text=_("The secure email address, phone number or portal address."),
    )  # fmt: skip
    referral_needs = models.TextField(
        _("what they need in a referral"), max_length=LONG_TEXT, blank=True
    )
    usual_wait_days = models.PositiveSmallIntegerField(
        _("stated usual wait (days)"), help_text=_("What the partner says, in days.")
    )
    is_active = models.BooleanField(_("taking referrals"), default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="partner_service_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.organisation.name}: {self.name}"


class SupportNeed(models.Model):
    """One need on her support plan, from her referral or from assessment."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="support_needs"
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    detail = EncryptedTextField(_("what she wants"), max_length=LONG_TEXT, null=True, blank=True)
    source = models.CharField(_("from"), max_length=20, choices=NeedSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("no longer needed since"), null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            # (An anonymised case's needs have no kind left: "" is not a kind.)
            models.UniqueConstraint(
                fields=["referral", "kind"], condition=Q(closed_at__isnull=True) & ~Q(kind=""),
                name="support_need_one_open_per_kind",
            )
        ]  # fmt: skip

    def __str__(self):
        return self.get_kind_display()


class OnwardReferral(models.Model):
    """Her referral to a partner service for one need, made with her consent, and where it
    has got to. Every step is kept in OnwardReferralStep."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="onward_referrals"
    )
    need = models.ForeignKey(SupportNeed, on_delete=models.PROTECT, related_name="onward_referrals")
    service = models.ForeignKey(
        PartnerService, on_delete=models.PROTECT, related_name="onward_referrals"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OnwardStatus.choices, default=OnwardStatus.SENT
    )
    # Her consent for this referral: what she agreed to share, with whom (the service),
    # when, and the wording she was read.
    shared_details = ArrayField(
        models.CharField(max_length=20, choices=SharedDetail.choices),
        verbose_name=_("what she agreed to share"),
    )
    consent_given_on = models.DateField(_("consent given on"))
    consent_version = models.CharField(_("consent wording version"), max_length=20)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = EncryptedTextField(_("summary sent"), null=True, blank=True)
    sent_on = models.DateField(_("sent"))
    acknowledged_on = models.DateField(_("acknowledged"), null=True, blank=True)
    appointment_offered_on = models.DateField(_("appointment offered"), null=True, blank=True)
    appointment_on = models.DateField(_("first appointment"), null=True, blank=True)
    support_started_on = models.DateField(_("support started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    # When to chase the partner if no answer has come (working days after sending or
    # after the last chase); empty once they answered or the referral ended.
    chase_on = models.DateField(_("chase on"), null=True, blank=True, db_index=True)
    last_chased_on = models.DateField(_("last chased"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "service"], condition=Q(status__in=WAITING),
                name="onward_referral_one_open_per_need_and_service",
            ),
            models.CheckConstraint(
                condition=Q(support_started_on__isnull=True)
                | Q(support_started_on__gte=F("sent_on")),
                name="onward_referral_started_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True) | Q(acknowledged_on__gte=F("sent_on")),
                name="onward_referral_acknowledged_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__gte=F("consent_given_on")),
                name="onward_referral_sent_after_consent",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.service} ({self.get_status_display()})"

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING

    @property
    def shared_labels(self) -> list[str]:
        return [str(SharedDetail(value).label) for value in self.shared_details]


class OnwardReferralStep(models.Model):
    """One step of an onward referral: the status it moved to (or a chase), on which date,
    who recorded it and when. Never rewritten."""

    onward_referral = models.ForeignKey(
        OnwardReferral, on_delete=models.CASCADE, related_name="steps"
    )
    status = models.CharField(max_length=20, choices=OnwardStatus.choices)
    chased = models.BooleanField(default=False)
    on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.status} on {self.on}"


class RiskAssessment(models.Model):
    """A domestic-abuse risk assessment recorded on her case."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    tool = models.CharField(_("tool"), max_length=20, choices=RiskTool.choices)
    assessed_on = models.DateField(_("assessed on"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    level = models.CharField(_("risk level"), max_length=20, choices=RiskLevel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_on", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_tool_display()}: {self.get_level_display()}"
