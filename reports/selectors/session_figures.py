"""Figures about group sessions: how full they are, crèche use, who comes, and waitlists.
Sessions are shared by every team, so these figures always cover the whole service."""

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.selectors.scope import Scope
from reports.selectors.sql import DaysBetween
from reports.tables import Table, count, days, share
from sessions_booking.choices import GroupLanguage, InterpreterStatus
from sessions_booking.models import (
    ATTENDANCE_MARKS,
    SEAT_HOLDING,
    Booking,
    BookingStatus,
    GroupSession,
    InterpreterRequest,
    Programme,
    Venue,
)

ATTENDED = [BookingStatus.ATTENDED, BookingStatus.LATE]
SESSIONS_NOTE = _(
    "Group sessions are shared by every team, so these figures cover the whole service."
)


def _sessions(scope: Scope):
    sessions = GroupSession.objects.filter(
        starts_at__gte=scope.starts_at, starts_at__lt=scope.ends_at, cancelled_at__isnull=True
    )
    if scope.programme_id:
        sessions = sessions.filter(programme_id=scope.programme_id)
    return sessions


def _session_table(scope: Scope, *, by: str, slug: str, title: str, heading: str) -> Table:
    """Occupancy, crèche use and attendance, grouped by programme or venue. Places come
    from the sessions, seats and children from their bookings: two grouped queries, so
    a join never counts a session's places once per booking."""
    sessions = _sessions(scope)
    places = {
        row[by]: row
        for row in sessions.values(by).annotate(
            sessions=Count("pk"), places=Sum("capacity"), creche_places=Sum("creche_places")
        )
    }
    bookings = {
        row[f"session__{by}"]: row
        for row in Booking.objects.filter(session__in=sessions)
        .values(f"session__{by}")
        .annotate(
            seats=Count("pk", filter=Q(status__in=SEAT_HOLDING)),
            children=Sum("children_in_creche", filter=Q(status__in=SEAT_HOLDING), default=0),
            marked=Count("pk", filter=Q(status__in=ATTENDANCE_MARKS)),
            attended=Count("pk", filter=Q(status__in=ATTENDED)),
            did_not_attend=Count("pk", filter=Q(status=BookingStatus.DID_NOT_ATTEND)),
        )
    }
    names = Programme if by == "programme" else Venue
    table = Table(
        slug=slug,
        title=title,
        row_heading=heading,
        columns=[_("Sessions"), _("Places"), _("Places taken"), _("Occupancy"),
                 _("Crèche places"), _("Children in crèche"), _("Crèche use"),
                 _("Attendance marked"), _("Attended"), _("Did not attend")],
        note=SESSIONS_NOTE,
        chart={"kind": "percent", "columns": [3]},
    )  # fmt: skip
    s = scope.suppress
    empty = {"seats": 0, "children": 0, "marked": 0, "attended": 0, "did_not_attend": 0}
    for item in names.objects.filter(pk__in=places).order_by("name"):
        offered, booked = places[item.pk], bookings.get(item.pk, empty)
        table.add(
            item.name,
            [
                count(offered["sessions"], suppress=False),
                count(offered["places"], suppress=False),
                count(booked["seats"], suppress=s),
                share(booked["seats"], offered["places"], suppress=s),
                count(offered["creche_places"], suppress=False),
                count(booked["children"], suppress=s),
                share(booked["children"], offered["creche_places"], suppress=s),
                count(booked["marked"], suppress=s),
                share(booked["attended"], booked["marked"], suppress=s),
                share(booked["did_not_attend"], booked["marked"], suppress=s),
            ],
        )
    return table


def sessions_by_programme(scope: Scope) -> Table:
    return _session_table(
        scope,
        by="programme",
        slug="sessions-by-programme",
        title=_("Group sessions by programme"),
        heading=_("Programme"),
    )


def sessions_by_venue(scope: Scope) -> Table:
    return _session_table(
        scope,
        by="venue",
        slug="sessions-by-venue",
        title=_("Group sessions by venue"),
        heading=_("Venue"),
    )


def waitlists(scope: Scope) -> Table:
    """Per programme: women on a waitlist now for a session still to come, and how long
    women promoted in the range had waited."""
    now = timezone.now()
    programmes = Programme.objects.order_by("name")
    if scope.programme_id:
        programmes = programmes.filter(pk=scope.programme_id)
    waiting_now = Q(
        sessions__bookings__status=BookingStatus.WAITLISTED,
        sessions__starts_at__gt=now,
        sessions__cancelled_at__isnull=True,
    )
    promoted = Q(
        sessions__bookings__promoted_at__gte=scope.starts_at,
        sessions__bookings__promoted_at__lt=scope.ends_at,
    )
    rows = programmes.annotate(
        waiting=Count("sessions__bookings", filter=waiting_now),
        promoted=Count("sessions__bookings", filter=promoted),
        average_wait=Avg(
            DaysBetween(F("sessions__bookings__created_at"), F("sessions__bookings__promoted_at")),
            filter=promoted,
        ),
    )
    table = Table(
        slug="waitlists",
        title=_("Waitlists"),
        row_heading=_("Programme"),
        columns=[_("On a waitlist now"), _("Promoted in range"), _("Average days to promotion")],
        note=SESSIONS_NOTE,
        chart={"kind": "bars", "columns": [0]},
    )
    s = scope.suppress
    for row in rows:
        table.add(
            row.name,
            [
                count(row.waiting, suppress=s),
                count(row.promoted, suppress=s),
                days(row.average_wait, row.promoted, suppress=s),
            ],
        )
    return table


def interpreter_needs(scope: Scope) -> Table:
    """Per language, in the range's sessions: women booked (or waiting) who need an
    interpreter, and the interpreters asked of the agency by where they stand. Two grouped
    queries, whatever the number of sessions."""
    sessions = _sessions(scope)
    women = {
        row["interpreter_language"]: row["women"]
        for row in Booking.objects.filter(
            session__in=sessions, status__in=[*SEAT_HOLDING, BookingStatus.WAITLISTED]
        )
        .exclude(interpreter_language="")
        .values("interpreter_language")
        .annotate(women=Count("pk"))
    }
    by_language = {
        row["language"]: row
        for row in InterpreterRequest.objects.filter(session__in=sessions)
        .values("language")
        .annotate(
            requested=Count("pk", filter=Q(status=InterpreterStatus.REQUESTED)),
            booked=Count("pk", filter=Q(status=InterpreterStatus.BOOKED)),
            confirmed=Count("pk", filter=Q(status=InterpreterStatus.CONFIRMED)),
            cancelled=Count("pk", filter=Q(status=InterpreterStatus.CANCELLED)),
        )
    }
    table = Table(
        slug="interpreter-needs",
        title=_("Interpreter needs"),
        row_heading=_("Language"),
        columns=[_("Women needing an interpreter"), _("Requested"), _("Booked with the agency"),
                 _("Confirmed"), _("Cancelled")],
        note=SESSIONS_NOTE,
        chart={"kind": "bars", "columns": [0]},
    )  # fmt: skip
    s = scope.suppress
    none = {"requested": 0, "booked": 0, "confirmed": 0, "cancelled": 0}
    for code, name in GroupLanguage.choices:
        if code not in women and code not in by_language:
            continue
        asked = by_language.get(code, none)
        table.add(
            name,
            [
                count(women.get(code, 0), suppress=s),
                count(asked["requested"], suppress=False),
                count(asked["booked"], suppress=False),
                count(asked["confirmed"], suppress=False),
                count(asked["cancelled"], suppress=False),
            ],
        )
    return table
