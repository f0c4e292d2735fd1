"""Women-only group sessions: where, what, when, and who is booked in."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import Channel
from sessions_booking.choices import (
    GroupLanguage,
    InterpreterMode,
    InterpreterStatus,
)
from sessions_booking.rules.creche import (
    Children,
    describe_room,
    room_for,
    workers_for_any_ages,
    workers_needed,
)


def default_reminder_offsets():
    return [48, 2]


class CrecheWorkersField(models.PositiveSmallIntegerField):
    """How many crèche workers a session (or series) has. Left unset, it is filled on save
    (and in ``bulk_create``) with enough workers for a room full of babies
    (``rules.creche.workers_for_any_ages``), so a crèche described only by its room limit
    behaves as it did before ratios."""

    def pre_save(self, model_instance, add):
        if getattr(model_instance, self.attname) is None:
            setattr(
                model_instance, self.attname, workers_for_any_ages(model_instance.creche_places)
            )
        return super().pre_save(model_instance, add)


def language_field():
    return models.CharField(
        _("language"),
        max_length=10,
        choices=GroupLanguage.choices,
        default=GroupLanguage.ENGLISH,
        help_text=_("The language the group is delivered in."),
    )


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
    language = language_field()
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
    # The crèche's room limit (children); how many fit also depends on their ages and the
    # crèche workers (rules/creche.py).
    creche_places = models.PositiveSmallIntegerField(_("crèche room limit (children)"), default=0)
    creche_workers = CrecheWorkersField(_("crèche workers"), blank=True)
    language = language_field()
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
    # The crèche's room limit (children); how many fit also depends on their ages and the
    # crèche workers (rules/creche.py).
    creche_places = models.PositiveSmallIntegerField(_("crèche room limit (children)"), default=0)
    creche_workers = CrecheWorkersField(_("crèche workers"), blank=True)
    language = language_field()
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

    # The crèche at a glance; only on sessions from ``selectors.with_fill`` (whose
    # annotations count the children by age band).
    @property
    def creche_children(self) -> Children:
        return Children(self.under_2_used, self.aged_2_used, self.three_plus_used)

    @property
    def creche_workers_needed(self) -> int:
        return workers_needed(self.creche_children)

    @property
    def creche_room(self) -> str:
        return describe_room(
            room_for(
                confirmed=self.creche_children,
                workers=self.creche_workers,
                room_limit=self.creche_places,
            )
        )


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
    # Her children by EYFS age band on the day of the session (rules/creche.py), kept beside
    # the children themselves (BookedChild) so the database sums a session's crèche.
    creche_under_2 = models.PositiveSmallIntegerField(default=0)
    creche_aged_2 = models.PositiveSmallIntegerField(default=0)
    creche_3_plus = models.PositiveSmallIntegerField(default=0)
    # The language she needs an interpreter for in this session ("" when she needs none).
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=10, choices=GroupLanguage.choices, blank=True
    )
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


class BookedChild(models.Model):
    """A child in the crèche with her booking: a date of birth or an age in years (the age
    on the day of the session). Neither is kept for bookings made before ages were asked;
    such a child counts as under 2 (rules/creche.py)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="children")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    age_in_years = models.PositiveSmallIntegerField(_("age in years"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "booked children"

    def __str__(self):
        return f"child of booking {self.booking_id}"


class InterpreterRequest(models.Model):
    """An interpreter asked of the agency for one session and one language."""

    session = models.ForeignKey(
        GroupSession, on_delete=models.PROTECT, related_name="interpreter_requests"
    )
    language = models.CharField(_("language"), max_length=10, choices=GroupLanguage.choices)
    mode = models.CharField(
        _("how"),
        max_length=20,
        choices=InterpreterMode.choices,
        default=InterpreterMode.FACE_TO_FACE,
    )
    female = models.BooleanField(_("female interpreter"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InterpreterStatus.choices,
        default=InterpreterStatus.REQUESTED,
    )
    agency_reference = models.CharField(_("agency's reference"), max_length=60, blank=True)
    # Set when the last woman needing this language cancelled: someone should cancel the
    # interpreter with the agency.
    flagged_for_cancelling_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session__starts_at", "language", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"],
                condition=~Q(status="cancelled"),
                name="interpreter_one_active_per_session_language",
            ),
        ]

    def __str__(self):
        return f"{self.get_language_display()} interpreter, session {self.session_id}"


class DeliveryStatus(models.TextChoices):
    """What GOV.UK Notify says became of a message after it took it (its final statuses)."""

    DELIVERED = "delivered", _("Delivered")
    PERMANENT_FAILURE = "permanent_failure", _("Not delivered: the number or address is not in use")
    TEMPORARY_FAILURE = "temporary_failure", _("Not delivered: her phone was off or her inbox full")
    TECHNICAL_FAILURE = "technical_failure", _("Not delivered: a fault at the provider")


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
    # What became of it after the provider took it (Notify's callback, or a look-up).
    delivery_status = models.CharField(max_length=20, choices=DeliveryStatus.choices, blank=True)
    delivery_status_at = models.DateTimeField(null=True, blank=True)

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
