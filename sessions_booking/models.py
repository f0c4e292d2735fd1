"""Women-only group sessions: where, what, when, and who is booked in."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import Channel


def default_reminder_offsets():
    return [48, 2]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Venue(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.TextField(_("address"))
    women_only_building = models.BooleanField(_("women-only building"), default=False)
    creche_on_site = models.BooleanField(_("crèche on site"), default=False)
    step_free = models.BooleanField(_("step-free access"), default=False)
    separate_entrance = models.BooleanField(_("separate entrance"), default=False)
    staff_on_site = models.BooleanField(_("staff on site"), default=False)
    no_shared_waiting_room = models.BooleanField(
        _("no waiting room shared with a men's service"), default=False
    )
    safety_notes = models.TextField(_("safety notes"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Programme(models.Model):
    """A kind of group, such as a women's recovery group or mothers in recovery."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description shown to women"))
    women_only = models.BooleanField(
        _("women only"),
        default=True,
        help_text=_("Groups are women-only unless you say otherwise; that is shown everywhere."),
    )
    trauma_informed = models.BooleanField(_("trauma-informed"), default=False)
    default_capacity = models.PositiveSmallIntegerField(_("default places"), default=12)
    default_creche_places = models.PositiveSmallIntegerField(
        _("default crèche places (children)"), default=0
    )
    reminder_offsets_hours = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("reminders (hours before)"),
        default=default_reminder_offsets,
        blank=True,
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), related_name="programmes",
        blank=True,
    )  # fmt: skip
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SessionSeries(models.Model):
    """A weekly series: the same group at the same time for a number of weeks."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="series")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="series")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=120)
    weeks = models.PositiveSmallIntegerField(_("number of weeks"))
    skip_dates = ArrayField(models.DateField(), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"))
    creche_places = models.PositiveSmallIntegerField(_("crèche places (children)"), default=0)
    booking_cutoff_hours = models.PositiveSmallIntegerField(
        _("booking closes (hours before)"), default=2
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "session series"

    def __str__(self):
        return (
            f"{self.programme} ({self.first_date:%a} {self.start_time:%H:%M}, {self.weeks} weeks)"
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class GroupSession(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="sessions")
    series = models.ForeignKey(
        SessionSeries, on_delete=models.PROTECT, related_name="sessions", null=True, blank=True
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="facilitated_sessions",
        null=True,
        blank=True,
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    creche_places = models.PositiveSmallIntegerField(_("crèche places (children)"), default=0)
    booking_cutoff = models.DateTimeField(_("booking closes"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(booking_cutoff__lte=F("starts_at")), name="session_cutoff_before_start"
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    LATE = "late", _("Attended, late")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
    CANCELLED_LATE = "cancelled_late", _("Cancelled late")


# Bookings that hold a seat (and crèche places) in a session.
SEAT_HOLDING = [
    BookingStatus.CONFIRMED,
    BookingStatus.ATTENDED,
    BookingStatus.LATE,
    BookingStatus.DID_NOT_ATTEND,
    BookingStatus.CANCELLED_LATE,
]
ATTENDANCE_MARKS = [
    BookingStatus.ATTENDED,
    BookingStatus.LATE,
    BookingStatus.DID_NOT_ATTEND,
    BookingStatus.CANCELLED_LATE,
]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Booking(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="bookings")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    children_in_creche = models.PositiveSmallIntegerField(_("children in the crèche"), default=0)
    children_ages = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When she said, through her reminder link, that she is coming.
    confirmed_by_her_at = models.DateTimeField(null=True, blank=True)
    # When a place freed and she was moved off the waitlist (the dashboard's wait to
    # promotion is promoted_at - created_at).
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One active booking per woman per session.
            models.UniqueConstraint(
                fields=["session", "referral"],
                condition=~Q(status="cancelled"),
                name="booking_one_active_per_woman_per_session",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="booking_session_status_idx")]

    def __str__(self):
        return f"{self.referral_id} @ {self.session_id}: {self.status}"


class ReminderStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    NEEDS_CALL = "needs_call", _("Keyworker to call")
    MERGED = "merged", _("Not needed: same time as the reminder before")


@pghistory.track(pghistory.UpdateEvent("status_changed", condition=pghistory.AnyChange("status")))
class Reminder(models.Model):
    """One reminder per booking per offset (docs/design.md, the domain). ``send_at`` is the due
    time moved into her safe times; a reminder with no safe channel or no safe moment is
    never sent and goes on her keyworker's call list instead."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    offset_hours = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, blank=True, choices=Channel.choices)
    due_at = models.DateTimeField()
    send_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ReminderStatus.choices)
    # Sent to the provider with the message, so a retried send can be recognised.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "offset_hours"], name="reminder_one_per_booking_offset"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "send_at"], name="reminder_due_idx"),
            # The keyworker's "reminder calls to make": a few rows among many sent ones.
            models.Index(
                fields=["booking"],
                condition=Q(status__in=["needs_call", "failed"]),
                name="reminder_calls_idx",
            ),
        ]

    def __str__(self):
        return f"{self.booking_id} -{self.offset_hours}h {self.status}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class MessageTemplate(models.Model):
    """An admin's own wording for reminders in one language (sessions_booking/rules/wording.py
    checks it). Without one, the built-in wording is used."""

    language = models.CharField(_("language"), max_length=10)
    names_service = models.BooleanField(
        _("names the service"),
        default=False,
        help_text=_("Only for women who allowed messages to name the service."),
    )
    subject = models.CharField(_("email subject"), max_length=120)
    text = models.TextField(_("message"), max_length=480)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "names_service"], name="message_template_one_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.language} {'named' if self.names_service else 'discreet'}"


class BookingLink(models.Model):
    """The short link in a reminder: she can say she is coming, or cancel. Only a hash of
    the token is stored; the link ends when the session starts (or sooner, see settings)
    and cannot be used again once she has cancelled."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"link for booking {self.booking_id}"
