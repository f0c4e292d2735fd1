"""The rules a session or series must keep, checked before ``scheduling`` writes anything.

Each check adds field-keyed messages to an ``Errors`` collection, so that every problem is
reported at once, beside the field it is about.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions_booking.models import SEAT_HOLDING, GroupSession
from sessions_booking.rules.creche import Children, workers_for_any_ages, workers_needed

MAX_SERIES_WEEKS = 52


def local_datetime(on: date, at: time) -> datetime:
    """``on`` at ``at`` on the wall clock in the service's time zone (Europe/London), so a
    weekly 18:00 group stays at 18:00 when the clocks change. Group times never fall in the
    hour the clocks skip or repeat (01:00-02:00 on a Sunday); if one did, the earlier
    reading is used."""
    return timezone.make_aware(datetime.combine(on, at), timezone.get_default_timezone())


def format_day(on: date) -> str:
    return formats.date_format(on, "D j M Y")


def cutoff_for(starts_at: datetime, hours: int) -> datetime:
    return starts_at - timedelta(hours=hours)


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


class Errors:
    """Collects field-keyed messages so that every problem is reported at once."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def check_in_use(errors, *, programme=None, venue=None, facilitator=None) -> None:
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


def check_new_choices_in_use(errors, *, current, venue, facilitator) -> None:
    """Like ``check_in_use``, for an edit: the venue and facilitator ``current`` (a session
    or series) already has may stay even if no longer in use; only new choices must be."""
    check_in_use(
        errors,
        venue=venue if venue.pk != current.venue_id else None,
        facilitator=facilitator
        if facilitator is not None and facilitator.pk != current.facilitator_id
        else None,
    )


def check_creche(errors, *, venue, creche_places: int) -> None:
    if creche_places > 0 and not venue.creche_on_site:
        errors.add(
            "creche_places",
            _(
                "%(venue)s has no crèche on site, so crèche places must be 0. Choose a venue "
                "with a crèche, or set crèche places to 0."
            )
            % {"venue": venue.name},
        )


def check_end(errors, *, starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        errors.add("ends_at", _("The end time must be after the start time."))


def check_places(errors, *, capacity) -> None:
    if capacity < 1:
        errors.add("capacity", _("A session needs at least 1 place."))


def check_duration(errors, *, duration_minutes) -> None:
    if duration_minutes <= 0:
        errors.add("duration_minutes", _("The length must be more than 0 minutes."))


def check_ahead(errors, *, starts_at, booking_cutoff_hours, now) -> None:
    """The start, and the moment booking closes, must both still lie ahead."""
    if starts_at <= now:
        errors.add(
            "starts_at",
            _("%(when)s is in the past. Choose a date and time that has not happened yet.")
            % {"when": formats.date_format(timezone.localtime(starts_at), "D j M Y, H:i")},
        )
    elif cutoff_for(starts_at, booking_cutoff_hours) <= now:
        errors.add(
            "booking_cutoff_hours",
            _(
                "Booking would already have closed (%(hours)s hours before the start). Choose "
                "a later start or fewer hours."
            )
            % {"hours": booking_cutoff_hours},
        )


def check_series_shape(errors, *, first_date, weeks, skip_dates, duration_minutes) -> None:
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        errors.add(
            "weeks",
            _("A series runs for 1 to %(max)s weeks.") % {"max": MAX_SERIES_WEEKS},
        )
        return
    check_duration(errors, duration_minutes=duration_minutes)
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


def check_first_ahead(errors, *, starts_at, booking_cutoff_hours, now) -> None:
    if starts_at <= now:
        errors.add(
            "first_date",
            _("The first session (%(when)s) would be in the past. Choose a later first date.")
            % {"when": formats.date_format(timezone.localtime(starts_at), "D j M Y, H:i")},
        )
    elif cutoff_for(starts_at, booking_cutoff_hours) <= now:
        errors.add(
            "booking_cutoff_hours",
            _(
                "Booking for the first session would already have closed (%(hours)s hours "
                "before it starts). Choose a later first date or fewer hours."
            )
            % {"hours": booking_cutoff_hours},
        )


@dataclass(frozen=True)
class Taken:
    """What a session's bookings already hold: seats (women) and crèche places (children,
    with how many of them are in each EYFS age band)."""

    women: int
    children: int
    by_age: Children = field(default_factory=Children)


def taken_by_bookings(session_ids) -> dict[int, Taken]:
    """Seats and crèche places held per session, counted by the database in one query."""
    holding = Q(bookings__status__in=SEAT_HOLDING)
    rows = (
        GroupSession.objects.filter(pk__in=list(session_ids))
        .annotate(
            women=Count("bookings", filter=holding),
            children=Coalesce(Sum("bookings__children_in_creche", filter=holding), 0),
            under_2=Coalesce(Sum("bookings__creche_under_2", filter=holding), 0),
            aged_2=Coalesce(Sum("bookings__creche_aged_2", filter=holding), 0),
            three_plus=Coalesce(Sum("bookings__creche_3_plus", filter=holding), 0),
        )
        .values_list("pk", "women", "children", "under_2", "aged_2", "three_plus")
    )
    return {
        pk: Taken(women, children, Children(under_2, aged_2, three_plus))
        for pk, women, children, under_2, aged_2, three_plus in rows
    }


def workers_or_default(creche_workers: int | None, creche_places: int) -> int:
    """The crèche workers given, or (left blank) enough for a room full of babies."""
    return workers_for_any_ages(creche_places) if creche_workers is None else creche_workers


def check_creche_workers(errors, *, creche_places: int, creche_workers: int) -> None:
    if creche_places > 0 and creche_workers < 1:
        errors.add(
            "creche_workers",
            _(
                "A crèche with a room limit needs at least 1 crèche worker. Give the number "
                "of workers, or set the room limit to 0."
            ),
        )


def check_room_for_bookings(
    errors, *, taken: Taken, capacity, creche_places, creche_workers=None, on=None
) -> None:
    """Places may not go below the women already booked, crèche places below the children
    already booked, nor crèche workers below what the children already booked need by the
    EYFS ratios: nobody is un-booked by an edit."""
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
    needed = workers_needed(taken.by_age)
    if creche_workers is not None and creche_workers < needed:
        errors.add(
            "creche_workers",
            ngettext(
                "The children already booked into the crèche%(where)s need %(needed)s crèche "
                "worker by the ratios (under 2: 1 to 3; aged 2: 1 to 5; 3 and over: 1 to 8), "
                "so workers cannot be fewer than %(needed)s.",
                "The children already booked into the crèche%(where)s need %(needed)s crèche "
                "workers by the ratios (under 2: 1 to 3; aged 2: 1 to 5; 3 and over: 1 to 8), "
                "so workers cannot be fewer than %(needed)s.",
                needed,
            )
            % {"needed": needed, "where": where},
        )


def why_unchangeable(session: GroupSession, *, now) -> str | None:
    """Why ``session`` can no longer be changed (cancelled, or already started), or None."""
    if session.is_cancelled:
        return _("This session was cancelled, so it can no longer be changed.")
    if session.starts_at <= now:
        return _("This session has already started, so it can no longer be changed.")
    return None


def refuse_unless_changeable(session: GroupSession, *, now) -> None:
    message = why_unchangeable(session, now=now)
    if message is not None:
        raise ValidationError({NON_FIELD_ERRORS: [message]})
