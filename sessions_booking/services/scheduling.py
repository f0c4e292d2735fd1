"""Scheduling group sessions: one at a time, as a weekly series, and changes to them.

Every function here validates the whole change first and raises ``ValidationError`` (a
dict keyed by the field at fault, so forms can show each message beside its field) before
writing anything; the rules themselves live in ``session_rules``. Rows that bookings depend
on are locked (``select_for_update``) while their bookings are counted, so a booking made at
the same moment cannot slip past a lowered capacity; a raised one lets the waiting list move
up (``booking.promote_waitlist``). Cancelling a session is a booking action (it tells every
booked woman), so it lives in ``sessions_booking.services.booking.cancel_session``.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_booking.models import GroupSession, Programme, SessionSeries, Venue
from sessions_booking.rules.sessions import (
    MAX_SERIES_WEEKS,
    Errors,
    Taken,
    check_ahead,
    check_creche,
    check_creche_workers,
    check_duration,
    check_end,
    check_first_ahead,
    check_in_use,
    check_new_choices_in_use,
    check_places,
    check_room_for_bookings,
    check_series_shape,
    cutoff_for,
    format_day,
    local_datetime,
    refuse_unless_changeable,
    taken_by_bookings,
    weekly_dates,
    workers_or_default,
)
from sessions_booking.services.booking import (
    announce_changes,
    promote_waitlist,
    refresh_bookings_after_change,
)

# Part of this module's public face: forms, views and tests reach them as ``scheduling.*``.
__all__ = [
    "MAX_SERIES_WEEKS",
    "Taken",
    "create_session",
    "create_weekly_series",
    "format_day",
    "future_sessions",
    "local_datetime",
    "taken_by_bookings",
    "upcoming_creche_sessions_at",
    "update_series_future_sessions",
    "update_session",
    "weekly_dates",
]


def _session_fields(
    *,
    venue,
    facilitator,
    starts_at,
    ends_at,
    capacity,
    creche_places,
    creche_workers,
    language,
    booking_cutoff_hours,
):
    return {
        "venue": venue,
        "facilitator": facilitator,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "creche_places": creche_places,
        "creche_workers": creche_workers,
        "language": language,
        "booking_cutoff": cutoff_for(starts_at, booking_cutoff_hours),
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
    creche_workers: int | None = None,
    language: str | None = None,
    now: datetime | None = None,
) -> GroupSession:
    """One session on its own (not part of a series). Left out, the crèche workers are
    enough for a room full of babies and the language is the programme's."""
    now = now or timezone.now()
    creche_workers = workers_or_default(creche_workers, creche_places)
    errors = Errors()
    check_in_use(errors, programme=programme, venue=venue, facilitator=facilitator)
    check_end(errors, starts_at=starts_at, ends_at=ends_at)
    check_ahead(errors, starts_at=starts_at, booking_cutoff_hours=booking_cutoff_hours, now=now)
    check_places(errors, capacity=capacity)
    check_creche(errors, venue=venue, creche_places=creche_places)
    check_creche_workers(errors, creche_places=creche_places, creche_workers=creche_workers)
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
            creche_workers=creche_workers,
            language=language or programme.language,
            booking_cutoff_hours=booking_cutoff_hours,
        ),
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
    creche_workers: int | None = None,
    now: datetime | None = None,
) -> SessionSeries:
    """A series and one session per week for ``weeks`` weeks, on the weekday of
    ``first_date``, leaving out ``skip_dates`` (see ``weekly_dates``), in the programme's
    language."""
    now = now or timezone.now()
    creche_workers = workers_or_default(creche_workers, creche_places)
    skip_dates = sorted(set(skip_dates))
    errors = Errors()
    check_in_use(errors, programme=programme, venue=venue, facilitator=facilitator)
    check_series_shape(
        errors,
        first_date=first_date,
        weeks=weeks,
        skip_dates=skip_dates,
        duration_minutes=duration_minutes,
    )
    check_places(errors, capacity=capacity)
    check_creche(errors, venue=venue, creche_places=creche_places)
    check_creche_workers(errors, creche_places=creche_places, creche_workers=creche_workers)
    days = weekly_dates(first_date=first_date, weeks=weeks, skip_dates=skip_dates)
    if days and "weeks" not in errors.by_field:
        # Every later date is a week after the first one held, so checking it checks them all.
        check_first_ahead(
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
            creche_workers=creche_workers,
            language=programme.language,
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
                        creche_workers=creche_workers,
                        language=programme.language,
                        booking_cutoff_hours=booking_cutoff_hours,
                    ),
                )
            )
        GroupSession.objects.bulk_create(sessions)
    return series


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
    creche_workers: int | None = None,
    language: str | None = None,
    now: datetime | None = None,
) -> GroupSession:
    """Change one session that has not started. Its programme stays: women booked into one
    kind of group are not moved into another. Crèche workers and language left out stay as
    they were."""
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            GroupSession.objects.select_for_update().select_related("venue").get(pk=session.pk)
        )
        refuse_unless_changeable(session, now=now)
        if creche_workers is None:
            creche_workers = session.creche_workers
        language = language or session.language
        errors = Errors()
        check_new_choices_in_use(errors, current=session, venue=venue, facilitator=facilitator)
        check_end(errors, starts_at=starts_at, ends_at=ends_at)
        # A session whose booking has closed can still have its room, facilitator or places
        # changed; only a new start or a new cut-off must lie ahead.
        if starts_at != session.starts_at or (
            cutoff_for(starts_at, booking_cutoff_hours) != session.booking_cutoff
        ):
            check_ahead(
                errors, starts_at=starts_at, booking_cutoff_hours=booking_cutoff_hours, now=now
            )
        check_places(errors, capacity=capacity)
        check_creche(errors, venue=venue, creche_places=creche_places)
        check_creche_workers(errors, creche_places=creche_places, creche_workers=creche_workers)
        check_room_for_bookings(
            errors,
            taken=taken_by_bookings([session.pk])[session.pk],
            capacity=capacity,
            creche_places=creche_places,
            creche_workers=creche_workers,
        )
        errors.raise_if_any()
        old_starts_at, old_venue_id = session.starts_at, session.venue_id
        old_language = session.language
        for name, value in _session_fields(
            venue=venue,
            facilitator=facilitator,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            creche_places=creche_places,
            creche_workers=creche_workers,
            language=language,
            booking_cutoff_hours=booking_cutoff_hours,
        ).items():
            setattr(session, name, value)
        session.save()
        refresh_bookings_after_change(
            session, old_starts_at=old_starts_at, old_language=old_language
        )
        # More places, crèche room or crèche workers free some: the waiting list moves up.
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
    creche_workers: int | None = None,
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
        if creche_workers is None:
            creche_workers = series.creche_workers
        # Lock first, then count: PostgreSQL refuses FOR UPDATE together with GROUP BY.
        sessions = list(future_sessions(series, now=now).select_for_update().order_by("starts_at"))
        errors = Errors()
        check_new_choices_in_use(errors, current=series, venue=venue, facilitator=facilitator)
        check_duration(errors, duration_minutes=duration_minutes)
        check_places(errors, capacity=capacity)
        if not sessions:
            errors.add(
                NON_FIELD_ERRORS, _("Every session in this series has started or been cancelled.")
            )
        check_creche(errors, venue=venue, creche_places=creche_places)
        check_creche_workers(errors, creche_places=creche_places, creche_workers=creche_workers)
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
            check_room_for_bookings(
                errors,
                taken=taken[session.pk],
                capacity=capacity,
                creche_places=creche_places,
                creche_workers=creche_workers,
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
            session.creche_workers = creche_workers
            session.starts_at = starts_at
            session.ends_at = starts_at + length
        GroupSession.objects.bulk_update(
            [session for session, _start in changes],
            [
                "venue",
                "facilitator",
                "capacity",
                "creche_places",
                "creche_workers",
                "starts_at",
                "ends_at",
                "booking_cutoff",
            ],
        )
        for session, _start in changes:
            old_starts_at, old_venue_id = before[session.pk]
            refresh_bookings_after_change(
                session, old_starts_at=old_starts_at, old_language=session.language
            )
            promote_waitlist(session)
            announce_changes(session, old_starts_at=old_starts_at, old_venue_id=old_venue_id)
        series.venue = venue
        series.facilitator = facilitator
        series.capacity = capacity
        series.creche_places = creche_places
        series.creche_workers = creche_workers
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
