"""The week and month calendar of group sessions, with how full each one is.

A week holds about 58 sessions, a month about 250. Each card's words (times, fill,
women-only badge, link) are worked out here, with the sentence's wording translated once
per page rather than once per card, so the template draws each card without includes or
translation lookups: those were most of the page's server time."""

import calendar as calendar_module
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.contrib import messages
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from core.permissions import service_admins_only
from core.url_makers import pk_url_maker
from sessions_booking.choices import GroupLanguage
from sessions_booking.models import GroupSession
from sessions_booking.selectors import sessions_between
from sessions_booking.services import scheduling

# Dates the calendar pages accept (outside them, paging back or on could overflow).
CALENDAR_YEARS = range(2000, 2101)


class SessionCard(TypedDict):
    """What a session's card in the calendar shows. A dict, not an object: the template
    language finds a dict's keys first, an object's attributes only after a failed lookup."""

    pk: int
    url: str
    is_cancelled: bool
    times: str  # start and end, local, with an en dash: "18:00\u201320:00"
    programme: str
    venue: str
    facilitator: str
    women_only: bool
    fill: str  # "9 of 12 places, 3 of 4 crèche places, 2 waiting"
    # For the bars. Numbers as text: the template language would localise each number,
    # which cost more than the rest of the card.
    capacity: str
    booked: str
    has_creche: bool
    creche_places: str
    creche_used: str
    # Language (when not English), crèche room by age, interpreters not confirmed.
    notes: str


class FillWording:
    """The fill sentence (as sessions_booking/config/_fill.html words it), translated once
    per page."""

    def __init__(self):
        self.places = _("%(booked)s of %(capacity)s places")
        self.full = _("full")
        self.creche = _("%(used)s of %(places)s crèche places")
        self.creche_full = _("crèche full")
        self.no_creche = _("no crèche")
        self.waiting_by_count: dict[int, str] = {}
        self.in_language = _("in %(language)s")
        self.languages = dict(GroupLanguage.choices)

    def notes(self, session: GroupSession) -> str:
        """The crèche by age, the group's language and interpreters to confirm: only what
        differs from the usual, so most cards stay short."""
        parts = []
        if session.language != "en":
            parts.append(self.in_language % {"language": self.languages[session.language]})
        if session.creche_places and session.creche_used and session.free_creche_places > 0:
            parts.append(session.creche_room)
        if session.interpreters_unconfirmed:
            parts.append(
                ngettext(
                    "%(count)s woman's interpreter not confirmed",
                    "%(count)s women's interpreters not confirmed",
                    session.interpreters_unconfirmed,
                )
                % {"count": session.interpreters_unconfirmed}
            )
        return "; ".join(parts)

    def waiting(self, count: int) -> str:
        if count not in self.waiting_by_count:
            self.waiting_by_count[count] = ngettext(
                "%(waiting)s waiting", "%(waiting)s waiting", count
            ) % {"waiting": count}
        return self.waiting_by_count[count]

    def sentence(self, session: GroupSession) -> str:
        parts = [self.places % {"booked": session.booked, "capacity": session.capacity}]
        if session.free_places <= 0:
            parts.append(f" ({self.full})")
        parts.append(", ")
        if session.creche_places:
            parts.append(
                self.creche % {"used": session.creche_used, "places": session.creche_places}
            )
            if session.free_creche_places <= 0:
                parts.append(f" ({self.creche_full})")
        else:
            parts.append(self.no_creche)
        if session.waitlisted:
            parts.append(f", {self.waiting(session.waitlisted)}")
        return "".join(parts)


def session_card(session: GroupSession, wording: FillWording, session_url) -> SessionCard:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "pk": session.pk,
        "url": session_url(session.pk),
        "is_cancelled": session.is_cancelled,
        "times": f"{starts:%H:%M}\u2013{ends:%H:%M}",
        "programme": session.programme.name,
        "venue": session.venue.name,
        "facilitator": session.facilitator.full_name if session.facilitator else "",
        "women_only": session.programme.women_only,
        "fill": "" if session.is_cancelled else wording.sentence(session),
        "capacity": str(session.capacity),
        "booked": str(session.booked),
        "has_creche": bool(session.creche_places),
        "creche_places": str(session.creche_places),
        "creche_used": str(session.creche_used),
        "notes": "" if session.is_cancelled else wording.notes(session),
    }


def _sessions_by_day(first: date, last_exclusive: date) -> dict[date, list[SessionCard]]:
    """Sessions from the start of ``first`` to the start of ``last_exclusive`` (local days),
    cancelled ones too, with their fill, in one query however many bookings they have."""
    start = scheduling.local_datetime(first, time.min)
    end = scheduling.local_datetime(last_exclusive, time.min)
    wording, session_url = FillWording(), pk_url_maker("sessions_booking:setup_session_detail")
    by_day: dict[date, list[SessionCard]] = {}
    for session in sessions_between(start=start, end=end):
        day = timezone.localtime(session.starts_at).date()
        by_day.setdefault(day, []).append(session_card(session, wording, session_url))
    return by_day


def read_day(text: str | None, pattern: str = "%Y-%m-%d") -> date | None:
    try:
        day = datetime.strptime(text, pattern).date() if text else None
    except ValueError:
        return None
    return day if day is not None and day.year in CALENDAR_YEARS else None


def _read_month(text: str | None) -> date | None:
    return read_day(text, "%Y-%m")


def _week_context(request, today: date) -> dict:
    asked = request.GET.get("week")
    chosen = read_day(asked)
    if asked and chosen is None:
        messages.warning(request, _("That is not a date we can read, so this week is shown."))
    monday = (chosen or today) - timedelta(days=(chosen or today).weekday())
    by_day = _sessions_by_day(monday, monday + timedelta(days=7))
    days = [monday + timedelta(days=n) for n in range(7)]
    sunday = days[-1]
    return {
        "view": "week",
        "days": [
            {
                "day": day,
                "sessions": by_day.get(day, []),
                "today": day == today,
                "past": day < today,
            }
            for day in days
        ],
        "previous_url": f"?week={monday - timedelta(days=7):%Y-%m-%d}",
        "next_url": f"?week={monday + timedelta(days=7):%Y-%m-%d}",
        "current_url": "?",
        "previous_label": _("Previous week"),
        "next_label": _("Next week"),
        "current_label": _("This week"),
        "other_view_url": f"?view=month&month={monday:%Y-%m}",
        "other_view_label": _("Month view"),
        "range_label": _("%(first)s to %(last)s")
        % {
            "first": formats.date_format(monday, "j F"),
            "last": formats.date_format(sunday, "j F Y"),
        },
    }


def _month_context(request, today: date) -> dict:
    asked = request.GET.get("month")
    chosen = _read_month(asked)
    if asked and chosen is None:
        messages.warning(request, _("That is not a month we can read, so this month is shown."))
    first = (chosen or today).replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    before = (first - timedelta(days=1)).replace(day=1)
    by_day = _sessions_by_day(first, after)
    weeks = [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "sessions": by_day.get(day, []) if day.month == first.month else [],
                "today": day == today,
            }
            for day in week
        ]
        for week in calendar_module.Calendar(firstweekday=0).monthdatescalendar(
            first.year, first.month
        )
    ]
    return {
        "view": "month",
        "heading": formats.date_format(first, "F Y"),
        "weeks": weeks,
        "weekday_names": [
            formats.date_format(date(2024, 1, 1) + timedelta(days=n), "l") for n in range(7)
        ],
        "previous_url": f"?view=month&month={before:%Y-%m}",
        "next_url": f"?view=month&month={after:%Y-%m}",
        "current_url": "?view=month",
        "previous_label": _("Previous month"),
        "next_label": _("Next month"),
        "current_label": _("This month"),
        "other_view_url": f"?week={first:%Y-%m-%d}",
        "other_view_label": _("Week view"),
        "range_label": formats.date_format(first, "F Y"),
    }


@require_safe
@service_admins_only
def calendar(request):
    today = timezone.localdate()
    if request.GET.get("view") == "month":
        context = _month_context(request, today)
    else:
        context = _week_context(request, today)
    return render(request, "sessions_booking/setup/calendar.html", context)
