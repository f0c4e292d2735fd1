"""Staff pages for running the groups: calendar, venues, programmes, sessions and series.

Only service admins (permission ``referrals.configure_service``) see these pages; anyone
else signed in gets 404, so the pages' existence is not revealed (DESIGN.md section 3,
rule 4). Views only translate HTTP into calls to ``scheduling`` and ``selectors``; a refused
form comes back with everything typed in it and the reasons at the top (status 400).
"""

import calendar as calendar_module
from datetime import date, datetime, time, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from sessions_booking import scheduling
from sessions_booking.booking import BookingRefused, cancel_session
from sessions_booking.forms import (
    ProgrammeForm,
    SeriesEditForm,
    SeriesForm,
    SessionForm,
    VenueForm,
)
from sessions_booking.models import GroupSession, Programme, SessionSeries, Venue
from sessions_booking.selectors import sessions_between, with_fill

CONFIGURE_SERVICE = "referrals.configure_service"
FORM_METHODS = ["GET", "HEAD", "POST"]


def service_admins_only(view):
    """Signed-out visitors go to sign in; signed-in staff who may not configure get 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(CONFIGURE_SERVICE):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def render_form(request, form, *, title, submit, cancel_url, intro="", **context):
    return render(
        request,
        "sessions_booking/config/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "intro": intro,
            **context,
        },
        status=400 if form.errors else 200,
    )


# --- Calendar -------------------------------------------------------------------------------


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


def _read_day(text: str | None, pattern: str = "%Y-%m-%d") -> date | None:
    try:
        day = datetime.strptime(text, pattern).date() if text else None
    except ValueError:
        return None
    return day if day is not None and day.year in CALENDAR_YEARS else None


def _read_month(text: str | None) -> date | None:
    return _read_day(text, "%Y-%m")


def _week_context(request, today: date) -> dict:
    asked = request.GET.get("week")
    chosen = _read_day(asked)
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


# --- Venues ---------------------------------------------------------------------------------


@require_safe
@service_admins_only
def venues(request):
    return render(request, "sessions_booking/config/venues.html", {"venues": Venue.objects.all()})


@require_http_methods(FORM_METHODS)
@service_admins_only
def venue_edit(request, pk=None):
    venue = get_object_or_404(Venue, pk=pk) if pk else None
    form = VenueForm(request.POST if request.method == "POST" else None, instance=venue)
    if request.method == "POST" and form.is_valid():
        venue = form.save()
        messages.success(request, _("%(name)s is saved.") % {"name": venue.name})
        return redirect("config_venues")
    return render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": venue.name} if venue else _("Add a venue"),
        submit=_("Save venue"),
        cancel_url=reverse("config_venues"),
        intro=_(
            "Women are told about the building before they come: say what makes it safe "
            "and easy to reach."
        ),
    )


# --- Programmes -----------------------------------------------------------------------------


@require_safe
@service_admins_only
def programmes(request):
    return render(
        request,
        "sessions_booking/config/programmes.html",
        {"programmes": Programme.objects.prefetch_related("facilitators")},
    )


@require_http_methods(FORM_METHODS)
@service_admins_only
def programme_edit(request, pk=None):
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    form = ProgrammeForm(request.POST if request.method == "POST" else None, instance=programme)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        if not programme.women_only:
            messages.warning(
                request,
                _(
                    "%(name)s is open to everyone (not women-only). This is shown wherever "
                    "its sessions appear."
                )
                % {"name": programme.name},
            )
        messages.success(request, _("%(name)s is saved.") % {"name": programme.name})
        return redirect("config_programmes")
    return render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": programme.name} if programme else _("Add a programme"),
        submit=_("Save programme"),
        cancel_url=reverse("config_programmes"),
        intro=_(
            "Groups are women-only unless you say otherwise. Places and crèche places here "
            "are the starting values for each new session."
        ),
        programme=programme,
    )


# --- Sessions and series --------------------------------------------------------------------


def _starting_values(request, *, date_field: str) -> dict:
    """Values to start a new session or series from: ``?programme=`` fills in its default
    places and crèche places; ``?date=`` the day (from the calendar)."""
    initial = {}
    programme = Programme.objects.filter(
        pk=request.GET.get("programme") if (request.GET.get("programme") or "").isdigit() else None,
        is_active=True,
    ).first()
    if programme is not None:
        initial.update(
            programme=programme.pk,
            capacity=programme.default_capacity,
            creche_places=programme.default_creche_places,
        )
    day = _read_day(request.GET.get("date"))
    if day is not None:
        initial[date_field] = day
    return initial


@require_http_methods(FORM_METHODS)
@service_admins_only
def session_create(request):
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=_starting_values(request, date_field="day"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = scheduling.create_session(**form.service_arguments())
        except ValidationError as refusal:
            form.add_service_errors(refusal)
        else:
            messages.success(request, _("Session added."))
            return redirect("config_session_detail", pk=session.pk)
    return render_form(
        request,
        form,
        title=_("Add a session"),
        submit=_("Add session"),
        cancel_url=reverse("config_calendar"),
        intro=_("For a group that meets every week, add a weekly series instead."),
        series_link=True,
    )


@require_http_methods(FORM_METHODS)
@service_admins_only
def series_create(request):
    form = SeriesForm(
        request.POST if request.method == "POST" else None,
        initial=_starting_values(request, date_field="first_date"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            series = scheduling.create_weekly_series(**form.service_arguments())
        except ValidationError as refusal:
            form.add_service_errors(refusal)
        else:
            count = series.sessions.count()
            messages.success(
                request,
                ngettext(
                    "Weekly series added: %(count)s session.",
                    "Weekly series added: %(count)s sessions.",
                    count,
                )
                % {"count": count},
            )
            return redirect(f"{reverse('config_calendar')}?week={series.first_date:%Y-%m-%d}")
    return render_form(
        request,
        form,
        title=_("Add a weekly series"),
        submit=_("Add series"),
        cancel_url=reverse("config_calendar"),
        intro=_(
            "The same group at the same time every week. Each session can be changed on its "
            "own later."
        ),
    )


def _session_with_fill(pk) -> GroupSession:
    return get_object_or_404(
        with_fill(
            GroupSession.objects.select_related("programme", "venue", "facilitator", "series")
        ),
        pk=pk,
    )


@require_safe
@service_admins_only
def session_detail(request, pk):
    session = _session_with_fill(pk)
    now = timezone.now()
    return render(
        request,
        "sessions_booking/config/session_detail.html",
        {
            "session": session,
            "changeable": not session.is_cancelled and session.starts_at > now,
            "booking_open": not session.is_cancelled and session.booking_cutoff > now,
        },
    )


def _refuse_if_unchangeable(request, session) -> bool:
    """True (with a message) for a session that is cancelled or has started."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        messages.error(
            request,
            _("This session was cancelled, so it can no longer be changed.")
            if session.is_cancelled
            else _("This session has already started, so it can no longer be changed."),
        )
        return True
    return False


@require_http_methods(FORM_METHODS)
@service_admins_only
def session_edit(request, pk):
    session = _session_with_fill(pk)
    if _refuse_if_unchangeable(request, session):
        return redirect("config_session_detail", pk=pk)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=SessionForm.initial_for(session),
        session=session,
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.update_session(session=session, **form.service_arguments())
        except ValidationError as refusal:
            form.add_service_errors(refusal)
        else:
            messages.success(request, _("Session changed."))
            return redirect("config_session_detail", pk=pk)
    return render_form(
        request,
        form,
        title=_("Change this session"),
        submit=_("Save changes"),
        cancel_url=reverse("config_session_detail", args=[pk]),
        intro=_("Only this session changes. Its programme stays the same."),
        session=session,
        programme=session.programme,
    )


@require_http_methods(FORM_METHODS)
@service_admins_only
def series_edit(request, pk):
    series = get_object_or_404(
        SessionSeries.objects.select_related("programme", "venue", "facilitator"), pk=pk
    )
    upcoming = with_fill(scheduling.future_sessions(series)).order_by("starts_at")
    form = SeriesEditForm(
        request.POST if request.method == "POST" else None,
        initial=SeriesEditForm.initial_for(series),
        series=series,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = scheduling.update_series_future_sessions(series=series, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_service_errors(refusal)
        else:
            messages.success(
                request,
                ngettext("%(count)s session changed.", "%(count)s sessions changed.", changed)
                % {"count": changed},
            )
            return redirect("config_calendar")
    return render_form(
        request,
        form,
        title=_("Change the sessions still to come"),
        submit=_("Change sessions still to come"),
        cancel_url=reverse("config_calendar"),
        intro=_(
            "Every session in this series that has not started yet changes; sessions already "
            "held, and cancelled ones, stay as they were."
        ),
        series=series,
        programme=series.programme,
        upcoming=upcoming,
    )


@require_http_methods(FORM_METHODS)
@service_admins_only
def session_cancel(request, pk):
    session = _session_with_fill(pk)
    if _refuse_if_unchangeable(request, session):
        return redirect("config_session_detail", pk=pk)
    if request.method == "POST":
        # Cancelling is a booking action: it cancels every booking, tells each woman within
        # her safe-contact rules and writes the audit trail.
        try:
            cancelled = cancel_session(session=session, cancelled_by=request.user, request=request)
        except BookingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("The session is cancelled. Nobody was booked in.")
                if not cancelled
                else ngettext(
                    "The session is cancelled. %(count)s booking was cancelled; the woman is "
                    "being told in the way she said is safe.",
                    "The session is cancelled. %(count)s bookings were cancelled; each woman is "
                    "being told in the way she said is safe.",
                    cancelled,
                )
                % {"count": cancelled},
            )
        return redirect("config_session_detail", pk=pk)
    return render(request, "sessions_booking/config/session_cancel.html", {"session": session})
