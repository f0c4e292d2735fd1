import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import (
    EncryptedBooleanField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)

from core.choices import Channel
from core.permissions import PERMISSIONS
from referrals.choices import (
    AbuseExperience,
    AgeRange,
    AnonymisedBecause,
    ClosedReason,
    GroupInterest,
    Housing,
    Language,
    Priority,
    SafeNow,
    Source,
    Status,
    YesNoPreferNot,
)
from referrals.rules.reference import format_reference_code, new_reference_code

# Length limits for free text: long enough to say what matters, short enough to bound storage.
SHORT_TEXT = 200
LONG_TEXT = 2000


class EncryptedYesNoField(EncryptedBooleanField):
    """An encrypted yes/no answer. The library stores False (like every empty value) as
    NULL; it reads back as False, so code and templates see a plain yes or no."""

    def from_db_value(self, value, expression, connection):
        return bool(super().from_db_value(value, expression, connection))


def choice_array(choices, *, size=None, verbose_name=""):
    return ArrayField(
        models.CharField(max_length=20, choices=choices),
        default=list,
        blank=True,
        size=size,
        verbose_name=verbose_name,
    )


# Field changes a data-protection officer must be able to answer for, kept with before and
# after values by database triggers (pghistory), whoever or whatever made the change.
TRACKED_FIELDS = [
    "status", "assigned_to", "team", "priority", "next_contact_on", "closed_reason",
    "preferred_name", "full_name", "phone", "email", "postal_address", "safe_channels",
    "safe_days", "safe_from", "safe_until", "if_someone_else_answers", "may_name_service",
    "code_word",
]  # fmt: skip


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
    fields=TRACKED_FIELDS, model_name="ReferralEvent",
)  # fmt: skip
class Referral(models.Model):
    """A woman referred to the service: one case from first contact to closure.

    Contact details and sensitive free text are encrypted at rest (``Encrypted*Field``);
    the preferred name and reference code stay in plain text so staff can search them.
    Encrypted fields store an empty answer as NULL, hence ``null=True`` on them.
    """

    reference = models.CharField(
        _("reference code"), max_length=8, unique=True, default=new_reference_code, editable=False
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    # When her team was emailed that she is waiting (referrals.tasks.notify_team).
    team_notified_at = models.DateTimeField(null=True, blank=True)
    # One per filling-in of the public form: sending it twice stores one referral
    # (referrals.services.intake.create_referral).
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # --- Routing and workflow ---
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="referrals"
    )
    area_postcode_district = models.CharField(_("postcode district"), max_length=4, blank=True)
    area_local_authority = models.CharField(_("area"), max_length=80, blank=True)
    priority = models.CharField(
        _("priority"), max_length=20, choices=Priority.choices, default=Priority.ROUTINE
    )
    # Encrypted: the reasons repeat her answers in words ("She is not safe right now.").
    priority_reasons = EncryptedJSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("keyworker"),
        on_delete=models.PROTECT,
        related_name="caseload",
        null=True,
        blank=True,
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    closed_reason = models.CharField(
        _("reason for closing"), max_length=30, choices=ClosedReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True, db_index=True)
    # Kept up to date when attendance is marked (sessions_booking.services.booking), so lists can
    # flag two missed sessions in a row without extra queries.
    missed_sessions_in_a_row = models.PositiveSmallIntegerField(default=0)
    # Set when her personal data was removed (retention or an erasure request); the case
    # keeps its dates, status and attendance so the service's figures stay true.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    anonymised_because = models.CharField(
        _("anonymised because"), max_length=30, choices=AnonymisedBecause.choices, blank=True
    )

    # --- About her ---
    preferred_name = models.CharField(_("preferred name"), max_length=80)
    full_name = EncryptedCharField(_("full name"), max_length=SHORT_TEXT, null=True, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    age_range = models.CharField(
        _("age range"), max_length=10, choices=AgeRange.choices, blank=True
    )

    # --- Keeping her safe: how and when she may be contacted ---
    safe_channels = choice_array(Channel.choices, verbose_name=_("safe ways to contact"))
    phone = EncryptedCharField(_("phone"), max_length=20, null=True, blank=True)
    email = EncryptedCharField(_("email"), max_length=254, null=True, blank=True)
    postal_address = EncryptedTextField(_("postal address"), null=True, blank=True)
    safe_days = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    safe_from = models.TimeField(_("safe from"), null=True, blank=True)
    safe_until = models.TimeField(_("safe until"), null=True, blank=True)
    if_someone_else_answers = EncryptedTextField(
        _("what to say if someone else answers"), null=True, blank=True
    )
    may_name_service = models.BooleanField(_("messages may name the service"), default=False)
    code_word = EncryptedCharField(_("code word"), max_length=SHORT_TEXT, null=True, blank=True)

    # --- What would help ---
    # Her health and safety answers are encrypted too: nothing counts or filters them in SQL
    # (the inventory says why the needs the dashboards count stay plain).
    substances = EncryptedJSONField(_("substances"), default=list, blank=True)
    substances_other = EncryptedCharField(
        _("other substances"), max_length=SHORT_TEXT, null=True, blank=True
    )
    children_count = models.PositiveSmallIntegerField(_("number of children"), default=0)
    children_ages = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    needs_childcare = models.BooleanField(_("needs childcare to attend"), default=False)
    # Encrypted fields store "" as NULL: read it as "not answered".
    children_at_risk = EncryptedYesNoField(
        _("worried about children's safety"), null=True, blank=True, default=False
    )
    pregnant = EncryptedCharField(
        _("pregnant"), max_length=20, choices=YesNoPreferNot.choices, null=True, blank=True
    )
    abuse_experience = EncryptedCharField(
        _("domestic abuse or sexual violence"),
        max_length=20,
        choices=AbuseExperience.choices,
        null=True,
        blank=True,
    )
    safe_now = EncryptedCharField(
        _("safe right now"), max_length=20, choices=SafeNow.choices, null=True, blank=True
    )
    abuse_details = EncryptedTextField(_("about her safety"), null=True, blank=True)
    wants_mental_health_support = models.BooleanField(
        _("wants mental-health support"), default=False
    )
    housing = models.CharField(_("housing"), max_length=20, choices=Housing.choices, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    preferred_language_other = EncryptedCharField(
        _("other language"), max_length=80, null=True, blank=True
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    access_needs = EncryptedTextField(_("access needs"), null=True, blank=True)
    group_interests = choice_array(GroupInterest.choices, verbose_name=_("groups she would like"))
    women_only_groups = models.BooleanField(_("women-only groups only"), default=True)
    anything_else = EncryptedTextField(_("anything else"), null=True, blank=True)

    # --- Consent (each separate; the wording version shown is recorded) ---
    consent_to_store = models.BooleanField(_("consent to store"), default=False)
    consent_to_contact = models.BooleanField(_("consent to contact"), default=False)
    consent_to_share = models.BooleanField(_("consent to share"), default=False)
    consent_version = models.CharField(_("consent wording version"), max_length=20)
    consent_given_at = models.DateTimeField(_("consent given at"))

    # --- Professional referrals only ---
    referrer_name = models.CharField(_("referrer name"), max_length=SHORT_TEXT, blank=True)
    referrer_organisation = models.CharField(
        _("referrer organisation"), max_length=SHORT_TEXT, blank=True
    )
    referrer_role = models.CharField(_("referrer role"), max_length=SHORT_TEXT, blank=True)
    referrer_phone = models.CharField(_("referrer phone"), max_length=20, blank=True)
    referrer_email = models.EmailField(_("referrer email"), blank=True)
    referrer_relationship = models.CharField(
        _("relationship to her"), max_length=SHORT_TEXT, blank=True
    )
    referrer_confirmed_consent = models.BooleanField(
        _("referrer confirmed her consent"), default=False
    )

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()  # access is by role: core.permissions
        permissions = PERMISSIONS
        indexes = [
            models.Index(fields=["team", "status", "assigned_to"], name="referral_queue_idx"),
            models.Index(fields=["assigned_to", "status"], name="referral_caseload_idx"),
            models.Index(fields=["preferred_name"], name="referral_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_to_store=True), name="referral_has_consent_to_store"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=Source.PROFESSIONAL)
                | models.Q(referrer_confirmed_consent=True),
                name="referral_professional_confirmed_consent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(closed_reason=""),
                name="referral_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(safe_from__isnull=True, safe_until__isnull=True)
                | models.Q(safe_from__lt=models.F("safe_until")),
                name="referral_safe_window_in_order",
            ),
        ]

    def __str__(self):
        return self.display_reference

    @property
    def display_reference(self) -> str:
        return format_reference_code(self.reference)
