"""The week and month calendar of group sessions, with how full each one is."""

import calendar as calendar_module
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sessions_booking import scheduling
from sessions_booking.models import GroupSession
from sessions_booking.selectors import sessions_between
from sessions_booking.views_config.access import service_admins_only

# Dates the calendar pages accept (outside them, paging back or on could overflow).
CALENDAR_YEARS = range(2000, 2101)


def _sessions_by_day(first: date, last_exclusive: date) -> dict[date, list[GroupSession]]:
    """Sessions from the start of ``first`` to the start of ``last_exclusive`` (local days),
    cancelled ones too, with their fill, in one query however many bookings they have."""
    start = scheduling.local_datetime(first, time.min)
    end = scheduling.local_datetime(last_exclusive, time.min)
    by_day: dict[date, list[GroupSession]] = {}
    for session in sessions_between(start=start, end=end):
        by_day.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
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
    return render(request, "sessions_booking/config/calendar.html", context)
