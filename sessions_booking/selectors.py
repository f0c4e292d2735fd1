"""Read-only queries about sessions. Fill levels are computed by the database."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sessions_booking.choices import INTERPRETER_ACTIVE, InterpreterStatus
from sessions_booking.models import (
    SEAT_HOLDING,
    Booking,
    BookingStatus,
    GroupSession,
    InterpreterRequest,
)

HOLDING = Q(bookings__status__in=SEAT_HOLDING)


def interpreter_confirmed_for_booking():
    """True when the booking's interpreter language has a confirmed interpreter (for a
    Booking queryset)."""
    return Exists(
        InterpreterRequest.objects.filter(
            session=OuterRef("session"),
            language=OuterRef("interpreter_language"),
            status=InterpreterStatus.CONFIRMED,
        )
    )


def without_confirmed_interpreter():
    """Per session: women holding a place who need an interpreter not yet confirmed."""
    waiting = (
        Booking.objects.filter(session=OuterRef("pk"), status__in=SEAT_HOLDING)
        .exclude(interpreter_language="")
        .exclude(interpreter_confirmed_for_booking())
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0))


def with_fill(sessions: QuerySet[GroupSession]) -> QuerySet[GroupSession]:
    """Annotate each session with ``booked``, ``creche_used`` (and by age band:
    ``under_2_used``, ``aged_2_used``, ``three_plus_used``), ``waitlisted``,
    ``free_places``, ``free_creche_places`` and ``interpreters_unconfirmed`` (one query,
    however many bookings)."""
    return sessions.annotate(
        booked=Count("bookings", filter=HOLDING),
        creche_used=Coalesce(Sum("bookings__children_in_creche", filter=HOLDING), Value(0)),
        under_2_used=Coalesce(Sum("bookings__creche_under_2", filter=HOLDING), Value(0)),
        aged_2_used=Coalesce(Sum("bookings__creche_aged_2", filter=HOLDING), Value(0)),
        three_plus_used=Coalesce(Sum("bookings__creche_3_plus", filter=HOLDING), Value(0)),
        waitlisted=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
        interpreters_unconfirmed=without_confirmed_interpreter(),
    ).annotate(
        free_places=F("capacity") - F("booked"),
        free_creche_places=F("creche_places") - F("creche_used"),
    )


def upcoming_sessions(*, programme=None, now=None) -> QuerySet[GroupSession]:
    """Sessions still open for booking, soonest first, with their fill."""
    now = now or timezone.now()
    sessions = GroupSession.objects.filter(cancelled_at__isnull=True, booking_cutoff__gt=now)
    if programme is not None:
        sessions = sessions.filter(programme=programme)
    return with_fill(sessions.select_related("programme", "venue")).order_by("starts_at", "pk")


def for_her_language(sessions: QuerySet[GroupSession], language: str | None):
    """Her sessions first: those delivered in ``language`` or already with an interpreter
    for it (``her_interpreter``: that request's status), then the rest, each by time."""
    if not language:
        return sessions
    standing = InterpreterRequest.objects.filter(
        session=OuterRef("pk"), language=language, status__in=INTERPRETER_ACTIVE
    ).values("status")[:1]
    return (
        sessions.annotate(her_interpreter=Subquery(standing))
        .annotate(
            suits_her=Case(
                When(Q(language=language) | Q(her_interpreter__isnull=False), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-suits_her", "starts_at", "pk")
    )


def sessions_suiting(language: str, *, now=None, limit=10):
    """Upcoming sessions of any programme in her language or with her interpreter."""
    suiting = for_her_language(upcoming_sessions(now=now), language).filter(suits_her=True)
    return list(suiting[:limit])


# What a calendar card shows (sessions_booking/views/setup/calendar_pages.py); other
# columns stay in the database (reading one costs a query). A month has ~250 sessions.
CALENDAR_CARD_FIELDS = (
    "starts_at",
    "ends_at",
    "cancelled_at",
    "capacity",
    "creche_places",
    "creche_workers",
    "language",
    "programme__name",
    "programme__women_only",
    "venue__name",
    "facilitator__full_name",
)


def sessions_between(*, start, end) -> QuerySet[GroupSession]:
    """Every session (cancelled ones too) starting in [start, end), for calendars."""
    return with_fill(
        GroupSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("programme", "venue", "facilitator")
        .only(*CALENDAR_CARD_FIELDS)
    ).order_by("starts_at", "pk")


def sessions_facilitated_by(user, *, now=None, limit=10) -> QuerySet[GroupSession]:
    """Her sessions to run, from today on: for the roster and register links."""
    today_start = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0)
    return (
        GroupSession.objects.filter(facilitator=user, starts_at__gte=today_start)
        .select_related("programme", "venue")
        .order_by("starts_at")[:limit]
    )


CALL_ROW_FIELDS = (
    "due_at",
    "status",
    "delivery_status",
    "booking__referral__preferred_name",
    "booking__session__starts_at",
    "booking__session__programme__name",
)


def calls_to_make(*, user, now=None):
    """Reminders that cannot be sent safely (no safe channel or no safe moment), or that
    failed, for her own clients' upcoming sessions: her keyworker calls within her safe
    times instead."""
    from sessions_booking.models import Reminder, ReminderStatus

    return (
        Reminder.objects.filter(
            status__in=[ReminderStatus.NEEDS_CALL, ReminderStatus.FAILED],
            booking__referral__assigned_to=user,
            booking__session__starts_at__gt=now or timezone.now(),
        )
        .select_related("booking__referral", "booking__session__programme")
        # Only what the caseload's list shows (its name, the group, when): every row
        # converting every column of four tables cost more than the rest of the row.
        .only(*CALL_ROW_FIELDS)
        .order_by("due_at")
    )


def interpreter_requests_with_need(requests: QuerySet[InterpreterRequest]):
    """Annotate each request with ``women``: how many women booked in (or waiting) need its
    language at its session, counted by the database."""
    women = (
        Booking.objects.filter(
            session=OuterRef("session"),
            interpreter_language=OuterRef("language"),
            status__in=[*SEAT_HOLDING, BookingStatus.WAITLISTED],
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return requests.annotate(women=Coalesce(Subquery(women, output_field=IntegerField()), 0))


def interpreter_requests_to_arrange(*, now=None) -> QuerySet[InterpreterRequest]:
    """Requests for sessions still to come that are not cancelled, soonest first; those
    flagged for cancelling (nobody needs them now) come too, so someone cancels them."""
    now = now or timezone.now()
    return interpreter_requests_with_need(
        InterpreterRequest.objects.filter(
            session__starts_at__gt=now, session__cancelled_at__isnull=True
        )
        .exclude(status=InterpreterStatus.CANCELLED)
        .select_related("session__programme", "session__venue")
        .order_by("session__starts_at", "language", "pk")
    )
