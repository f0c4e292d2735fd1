"""Scheduling group sessions: one at a time, as a weekly series, and changes to them.

Every function here validates the whole change first and raises ``ValidationError`` (a
dict keyed by the field at fault, so forms can show each message beside its field) before
writing anything. Rows that bookings depend on are locked (``select_for_update``) while
their bookings are counted, so a booking made at the same moment cannot slip past a
lowered capacity; a raised one lets the waiting list move up (``booking.promote_waitlist``).
Cancelling a session is a booking action (it tells every booked woman), so it lives in
``sessions_booking.booking.cancel_session``.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions_booking.booking import announce_changes, promote_waitlist
from sessions_booking.models import SEAT_HOLDING, GroupSession, Programme, SessionSeries, Venue

MAX_SERIES_WEEKS = 52


def local_datetime(on: date, at: time) -> datetime:
    """``on`` at ``at`` on the wall clock in the service's time zone (Europe/London), so a
    weekly 18:00 group stays at 18:00 when the clocks change. Group times never fall in the
    hour the clocks skip or repeat (01:00-02:00 on a Sunday); if one did, the earlier
    reading is used."""
    return timezone.make_aware(datetime.combine(on, at), timezone.get_default_timezone())


def format_day(on: date) -> str:
    return formats.date_format(on, "D j M Y")


def _cutoff(starts_at: datetime, hours: int) -> datetime:
    return starts_at - timedelta(hours=hours)


class _Errors:
    """Collects field-keyed messages so that every problem is reported at once."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_in_use(errors, *, programme=None, venue=None, facilitator=None) -> None:
    if programme is not None and not programme.is_active:
        errors.add(
            "programme",
            _("%(name)s is no longer in use. Choose another programme, or put it back in use.")
            % {"name": programme.name},
        )
    if venue is not None and not venue.is_active:
        errors.add(
            "venue",
            _("%(name)s is no longer in use. Choose another venue, or put it back in use.")
            % {"name": venue.name},
        )
    if facilitator is not None and not facilitator.is_active:
        errors.add(
            "facilitator",
            _("%(name)s's account is deactivated. Choose another facilitator.")
            % {"name": facilitator.full_name},
        )


def _check_creche(errors, *, venue, creche_places: int) -> None:
    if creche_places > 0 and not venue.creche_on_site:
        errors.add(
            "creche_places",
            _(
                "%(venue)s has no crèche on site, so crèche places must be 0. Choose a venue "
                "with a crèche, or set crèche places to 0."
            )
            % {"venue": venue.name},
        )


def _check_end(errors, *, starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        errors.add("ends_at", _("The end time must be after the start time."))


def _check_places(errors, *, capacity) -> None:
    if capacity < 1:
        errors.add("capacity", _("A session needs at least 1 place."))


def _check_ahead(errors, *, starts_at, booking_cutoff_hours, now) -> None:
    """The start, and the moment booking closes, must both still lie ahead."""
    if starts_at <= now:
        errors.add(
            "starts_at",
            _("%(when)s is in the past. Choose a date and time that has not happened yet.")
            % {"when": formats.date_format(timezone.localtime(starts_at), "D j M Y, H:i")},
        )
    elif _cutoff(starts_at, booking_cutoff_hours) <= now:
        errors.add(
            "booking_cutoff_hours",
            _(
                "Booking would already have closed (%(hours)s hours before the start). Choose "
                "a later start or fewer hours."
            )
            % {"hours": booking_cutoff_hours},
        )


def _session_fields(
    *, venue, facilitator, starts_at, ends_at, capacity, creche_places, booking_cutoff_hours
):
    return {
        "venue": venue,
        "facilitator": facilitator,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "creche_places": creche_places,
        "booking_cutoff": _cutoff(starts_at, booking_cutoff_hours),
    }


def create_session(
    *,
    programme: Programme,
    venue: Venue,
    facilitator,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    creche_places: int,
    booking_cutoff_hours: int,
    now: datetime | None = None,
) -> GroupSession:
    """One session on its own (not part of a series)."""
    now = now or timezone.now()
    errors = _Errors()
    _check_in_use(errors, programme=programme, venue=venue, facilitator=facilitator)
    _check_end(errors, starts_at=starts_at, ends_at=ends_at)
    _check_ahead(errors, starts_at=starts_at, booking_cutoff_hours=booking_cutoff_hours, now=now)
    _check_places(errors, capacity=capacity)
    _check_creche(errors, venue=venue, creche_places=creche_places)
    errors.raise_if_any()
    return GroupSession.objects.create(
        programme=programme,
        **_session_fields(
            venue=venue,
            facilitator=facilitator,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            creche_places=creche_places,
            booking_cutoff_hours=booking_cutoff_hours,
        ),
    )


def weekly_dates(*, first_date: date, weeks: int, skip_dates=()) -> list[date]:
    """The dates a weekly series is held on.

    A series covers ``weeks`` calendar weeks from ``first_date``; a skipped date (a bank
    holiday, a closure) is simply not held and is not made up at the end. So "8 weeks
    skipping Easter Monday" is 7 sessions ending on the same day as 8 weeks would: the
    dates people plan around (the end of a course, a room booking) do not move because of
    a holiday."""
    skipped = set(skip_dates)
    every_week = [first_date + timedelta(weeks=n) for n in range(weeks)]
    return [day for day in every_week if day not in skipped]


def _check_series_shape(errors, *, first_date, weeks, skip_dates, duration_minutes) -> None:
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        errors.add(
            "weeks",
            _("A series runs for 1 to %(max)s weeks.") % {"max": MAX_SERIES_WEEKS},
        )
        return
    if duration_minutes <= 0:
        errors.add("duration_minutes", _("The length must be more than 0 minutes."))
    every_week = set(weekly_dates(first_date=first_date, weeks=weeks))
    strays = sorted(day for day in set(skip_dates) if day not in every_week)
    if strays:
        last = first_date + timedelta(weeks=weeks - 1)
        errors.add(
            "skip_dates",
            _(
                "These dates are not among the series' dates (%(weekday)ss from %(first)s to "
                "%(last)s), so they cannot be skipped: %(dates)s."
            )
            % {
                "weekday": formats.date_format(first_date, "l"),
                "first": format_day(first_date),
                "last": format_day(last),
                "dates": ", ".join(format_day(day) for day in strays),
            },
        )
    elif not weekly_dates(first_date=first_date, weeks=weeks, skip_dates=skip_dates):
        errors.add("skip_dates", _("Every date would be skipped: the series would be empty."))


def _check_first_ahead(errors, *, starts_at, booking_cutoff_hours, now) -> None:
    if starts_at <= now:
        errors.add(
            "first_date",
            _("The first session (%(when)s) would be in the past. Choose a later first date.")
            % {"when": formats.date_format(timezone.localtime(starts_at), "D j M Y, H:i")},
        )
    elif _cutoff(starts_at, booking_cutoff_hours) <= now:
        errors.add(
            "booking_cutoff_hours",
            _(
                "Booking for the first session would already have closed (%(hours)s hours "
                "before it starts). Choose a later first date or fewer hours."
            )
            % {"hours": booking_cutoff_hours},
        )


def create_weekly_series(
    *,
    programme: Programme,
    venue: Venue,
    facilitator,
    first_date: date,
    start_time: time,
    duration_minutes: int,
    weeks: int,
    skip_dates,
    capacity: int,
    creche_places: int,
    booking_cutoff_hours: int,
    now: datetime | None = None,
) -> SessionSeries:
    """A series and one session per week for ``weeks`` weeks, on the weekday of
    ``first_date``, leaving out ``skip_dates`` (see ``weekly_dates``)."""
    now = now or timezone.now()
    skip_dates = sorted(set(skip_dates))
    errors = _Errors()
    _check_in_use(errors, programme=programme, venue=venue, facilitator=facilitator)
    _check_series_shape(
        errors,
        first_date=first_date,
        weeks=weeks,
        skip_dates=skip_dates,
        duration_minutes=duration_minutes,
    )
    _check_places(errors, capacity=capacity)
    _check_creche(errors, venue=venue, creche_places=creche_places)
    days = weekly_dates(first_date=first_date, weeks=weeks, skip_dates=skip_dates)
    if days and "weeks" not in errors.by_field:
        # Every later date is a week after the first one held, so checking it checks them all.
        _check_first_ahead(
            errors,
            starts_at=local_datetime(days[0], start_time),
            booking_cutoff_hours=booking_cutoff_hours,
            now=now,
        )
    errors.raise_if_any()

    length = timedelta(minutes=duration_minutes)

    with transaction.atomic():
        series = SessionSeries.objects.create(
            programme=programme,
            venue=venue,
            facilitator=facilitator,
            first_date=first_date,
            start_time=start_time,
            duration_minutes=duration_minutes,
            weeks=weeks,
            skip_dates=skip_dates,
            capacity=capacity,
            creche_places=creche_places,
            booking_cutoff_hours=booking_cutoff_hours,
        )
        sessions = []
        for day in days:
            starts_at = local_datetime(day, start_time)
            sessions.append(
                GroupSession(
                    programme=programme,
                    series=series,
                    **_session_fields(
                        venue=venue,
                        facilitator=facilitator,
                        starts_at=starts_at,
                        ends_at=starts_at + length,
                        capacity=capacity,
                        creche_places=creche_places,
                        booking_cutoff_hours=booking_cutoff_hours,
                    ),
                )
            )
        GroupSession.objects.bulk_create(sessions)
    return series


@dataclass(frozen=True)
class Taken:
    """What a session's bookings already hold: seats (women) and crèche places (children)."""

    women: int
    children: int


def taken_by_bookings(session_ids) -> dict[int, Taken]:
    """Seats and crèche places held per session, counted by the database in one query."""
    holding = Q(bookings__status__in=SEAT_HOLDING)
    rows = (
        GroupSession.objects.filter(pk__in=list(session_ids))
        .annotate(
            women=Count("bookings", filter=holding),
            children=Coalesce(Sum("bookings__children_in_creche", filter=holding), 0),
        )
        .values_list("pk", "women", "children")
    )
    return {pk: Taken(women, children) for pk, women, children in rows}


def _check_room_for_bookings(errors, *, taken: Taken, capacity, creche_places, on=None) -> None:
    """Places may not go below the women already booked, nor crèche places below the
    children already booked: nobody is un-booked by an edit."""
    where = _(" on %(day)s") % {"day": format_day(on)} if on else ""
    if capacity < taken.women:
        errors.add(
            "capacity",
            ngettext(
                "%(count)s woman is already booked in%(where)s, so places cannot be fewer "
                "than %(count)s.",
                "%(count)s women are already booked in%(where)s, so places cannot be fewer "
                "than %(count)s.",
                taken.women,
            )
            % {"count": taken.women, "where": where},
        )
    if creche_places < taken.children:
        errors.add(
            "creche_places",
            ngettext(
                "%(count)s child already has a crèche place%(where)s, so crèche places "
                "cannot be fewer than %(count)s.",
                "%(count)s children already have crèche places%(where)s, so crèche places "
                "cannot be fewer than %(count)s.",
                taken.children,
            )
            % {"count": taken.children, "where": where},
        )


def _refuse_unless_changeable(session: GroupSession, *, now) -> None:
    if session.is_cancelled:
        message = _("This session was cancelled, so it can no longer be changed.")
    elif session.starts_at <= now:
        message = _("This session has already started, so it can no longer be changed.")
    else:
        return
    raise ValidationError({NON_FIELD_ERRORS: [message]})


def update_session(
    *,
    session: GroupSession,
    venue: Venue,
    facilitator,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    creche_places: int,
    booking_cutoff_hours: int,
    now: datetime | None = None,
) -> GroupSession:
    """Change one session that has not started. Its programme stays: women booked into one
    kind of group are not moved into another."""
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            GroupSession.objects.select_for_update().select_related("venue").get(pk=session.pk)
        )
        _refuse_unless_changeable(session, now=now)
        errors = _Errors()
        _check_in_use(
            errors,
            venue=venue if venue.pk != session.venue_id else None,
            facilitator=facilitator
            if facilitator is not None and facilitator.pk != session.facilitator_id
            else None,
        )
        _check_end(errors, starts_at=starts_at, ends_at=ends_at)
        # A session whose booking has closed can still have its room, facilitator or places
        # changed; only a new start or a new cut-off must lie ahead.
        if starts_at != session.starts_at or (
            _cutoff(starts_at, booking_cutoff_hours) != session.booking_cutoff
        ):
            _check_ahead(
                errors, starts_at=starts_at, booking_cutoff_hours=booking_cutoff_hours, now=now
            )
        _check_places(errors, capacity=capacity)
        _check_creche(errors, venue=venue, creche_places=creche_places)
        _check_room_for_bookings(
            errors,
            taken=taken_by_bookings([session.pk])[session.pk],
            capacity=capacity,
            creche_places=creche_places,
        )
        errors.raise_if_any()
        old_starts_at, old_venue_id = session.starts_at, session.venue_id
        for name, value in _session_fields(
            venue=venue,
            facilitator=facilitator,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            creche_places=creche_places,
            booking_cutoff_hours=booking_cutoff_hours,
        ).items():
            setattr(session, name, value)
        session.save()
        # More places (or crèche places) free some: the waiting list moves up at once.
        promote_waitlist(session)
        announce_changes(session, old_starts_at=old_starts_at, old_venue_id=old_venue_id)
    return session


def future_sessions(series: SessionSeries, *, now: datetime | None = None):
    """The series' sessions that have not started and are not cancelled."""
    now = now or timezone.now()
    return series.sessions.filter(starts_at__gt=now, cancelled_at__isnull=True)


def update_series_future_sessions(
    *,
    series: SessionSeries,
    capacity: int,
    creche_places: int,
    facilitator,
    venue: Venue,
    start_time: time,
    duration_minutes: int,
    now: datetime | None = None,
) -> int:
    """Change every session of the series that has not started yet (cancelled ones stay as
    they were); sessions already held or under way are history and are left alone. Each
    keeps its own date, and booking still closes as many hours before its new start as
    before. Returns how many sessions changed."""
    now = now or timezone.now()
    length = timedelta(minutes=duration_minutes)
    with transaction.atomic():
        series = SessionSeries.objects.select_for_update().get(pk=series.pk)
        # Lock first, then count: PostgreSQL refuses FOR UPDATE together with GROUP BY.
        sessions = list(future_sessions(series, now=now).select_for_update().order_by("starts_at"))
        errors = _Errors()
        _check_in_use(
            errors,
            venue=venue if venue.pk != series.venue_id else None,
            facilitator=facilitator
            if facilitator is not None and facilitator.pk != series.facilitator_id
            else None,
        )
        if duration_minutes <= 0:
            errors.add("duration_minutes", _("The length must be more than 0 minutes."))
        _check_places(errors, capacity=capacity)
        if not sessions:
            errors.add(
                NON_FIELD_ERRORS, _("Every session in this series has started or been cancelled.")
            )
        _check_creche(errors, venue=venue, creche_places=creche_places)
        taken = taken_by_bookings(session.pk for session in sessions)
        changes = []
        for session in sessions:
            day = timezone.localtime(session.starts_at).date()
            starts_at = local_datetime(day, start_time)
            if starts_at <= now:
                errors.add(
                    "start_time",
                    _("The session on %(day)s would then start in the past.")
                    % {"day": format_day(day)},
                )
            _check_room_for_bookings(
                errors,
                taken=taken[session.pk],
                capacity=capacity,
                creche_places=creche_places,
                on=day,
            )
            changes.append((session, starts_at))
        errors.raise_if_any()

        before = {session.pk: (session.starts_at, session.venue_id) for session, _ in changes}
        for session, starts_at in changes:
            # A session's own cut-off (perhaps edited on its own) keeps its distance.
            session.booking_cutoff = starts_at - (session.starts_at - session.booking_cutoff)
            session.venue = venue
            session.facilitator = facilitator
            session.capacity = capacity
            session.creche_places = creche_places
            session.starts_at = starts_at
            session.ends_at = starts_at + length
        GroupSession.objects.bulk_update(
            [session for session, _start in changes],
            [
                "venue",
                "facilitator",
                "capacity",
                "creche_places",
                "starts_at",
                "ends_at",
                "booking_cutoff",
            ],
        )
        for session, _start in changes:
            promote_waitlist(session)
            old_starts_at, old_venue_id = before[session.pk]
            announce_changes(session, old_starts_at=old_starts_at, old_venue_id=old_venue_id)
        series.venue = venue
        series.facilitator = facilitator
        series.capacity = capacity
        series.creche_places = creche_places
        series.start_time = start_time
        series.duration_minutes = duration_minutes
        series.save()
    return len(changes)


def upcoming_creche_sessions_at(venue: Venue, *, now: datetime | None = None):
    """Sessions still to come at ``venue`` that offer crèche places: a venue cannot lose its
    crèche while these stand."""
    now = now or timezone.now()
    return GroupSession.objects.filter(
        venue=venue, starts_at__gt=now, cancelled_at__isnull=True, creche_places__gt=0
    )
