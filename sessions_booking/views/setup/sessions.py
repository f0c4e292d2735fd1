"""Adding, changing and cancelling group sessions and weekly series."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import service_admins_only
from core.refusals import Refused
from sessions_booking.forms import SeriesEditForm, SeriesForm, SessionForm
from sessions_booking.models import GroupSession, Programme, SessionSeries
from sessions_booking.rules.sessions import why_unchangeable
from sessions_booking.selectors import interpreter_requests_with_need, with_fill
from sessions_booking.services import scheduling
from sessions_booking.services.booking import cancel_session
from sessions_booking.views.setup.calendar_pages import read_day
from sessions_booking.views.setup.common import FORM_METHODS, render_form


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
    day = read_day(request.GET.get("date"))
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
            return redirect("sessions_booking:setup_session_detail", pk=session.pk)
    return render_form(
        request,
        form,
        title=_("Add a session"),
        submit=_("Add session"),
        cancel_url=reverse("sessions_booking:setup_calendar"),
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
            return redirect(
                f"{reverse('sessions_booking:setup_calendar')}?week={series.first_date:%Y-%m-%d}"
            )
    return render_form(
        request,
        form,
        title=_("Add a weekly series"),
        submit=_("Add series"),
        cancel_url=reverse("sessions_booking:setup_calendar"),
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
        "sessions_booking/setup/session_detail.html",
        {
            "session": session,
            "changeable": not session.is_cancelled and session.starts_at > now,
            "booking_open": not session.is_cancelled and session.booking_cutoff > now,
            "interpreter_requests": interpreter_requests_with_need(
                session.interpreter_requests.exclude(status="cancelled")
            ),
        },
    )


def _refuse_if_unchangeable(request, session) -> bool:
    """True (with a message) for a session that is cancelled or has started."""
    reason = why_unchangeable(session, now=timezone.now())
    if reason is not None:
        messages.error(request, reason)
        return True
    return False


@require_http_methods(FORM_METHODS)
@service_admins_only
def session_edit(request, pk):
    session = _session_with_fill(pk)
    if _refuse_if_unchangeable(request, session):
        return redirect("sessions_booking:setup_session_detail", pk=pk)
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
            return redirect("sessions_booking:setup_session_detail", pk=pk)
    return render_form(
        request,
        form,
        title=_("Change this session"),
        submit=_("Save changes"),
        cancel_url=reverse("sessions_booking:setup_session_detail", args=[pk]),
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
            return redirect("sessions_booking:setup_calendar")
    return render_form(
        request,
        form,
        title=_("Change the sessions still to come"),
        submit=_("Change sessions still to come"),
        cancel_url=reverse("sessions_booking:setup_calendar"),
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
        return redirect("sessions_booking:setup_session_detail", pk=pk)
    if request.method == "POST":
        # Cancelling is a booking action: it cancels every booking, tells each woman within
        # her safe-contact rules and writes the audit trail.
        try:
            cancelled = cancel_session(actor=request.user, session=session)
        except Refused as refusal:
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
        return redirect("sessions_booking:setup_session_detail", pk=pk)
    return render(request, "sessions_booking/setup/session_cancel.html", {"session": session})
