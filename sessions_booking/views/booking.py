"""Booking women into groups from their case, and the facilitator's roster and register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

import notices.services as notices
from core import audit
from core.choices import AuditAction
from core.permissions import CONFIGURE_SERVICE
from core.refusals import Refused
from referrals.rules import access
from sessions_booking.choices import GroupLanguage
from sessions_booking.forms.booking import AttendanceForm, BookSessionForm
from sessions_booking.models import SEAT_HOLDING, Booking, GroupSession, Programme, Reminder
from sessions_booking.rules.language import her_language
from sessions_booking.selectors import (
    for_her_language,
    interpreter_confirmed_for_booking,
    sessions_suiting,
    upcoming_sessions,
    with_fill,
)
from sessions_booking.services import booking as rules
from sessions_booking.services.reminders import RESENDABLE, resend_reminder
from sessions_booking.tasks import send_due_reminders
from sessions_booking.views.calendar_file import booking_calendar


def workable_case(user, pk):
    """Her case, if this user may book for her (her keyworker, or a team lead); else 404."""
    referral = access.get_visible_case(user, pk)
    if not access.can_work_on(user, referral):
        raise Http404
    return referral


def booking_form_initial(referral):
    if not referral.needs_childcare:
        return {"children_in_creche": 0}
    return {
        "children_in_creche": len(referral.children_ages) or referral.children_count,
        "children_ages": ", ".join(str(age) for age in referral.children_ages),
    }


def render_booking_page(request, referral, form=None, status=200):
    programmes = Programme.objects.filter(is_active=True).order_by("name")
    chosen = request.GET.get("programme", "")
    programme = (
        programmes.filter(pk=chosen).first() if chosen.isascii() and chosen.isdigit() else None
    )
    language = her_language(referral)
    sessions = (
        list(for_her_language(upcoming_sessions(programme=programme), language)[:40])
        if programme
        else []
    )
    form = form or BookSessionForm(
        sessions=sessions,
        initial=booking_form_initial(referral),
        offer_interpreter=language is not None,
    )
    return render(
        request,
        "sessions_booking/book.html",
        {
            "referral": referral,
            "programmes": programmes,
            "programme": programme,
            "sessions": sessions,
            "language": language,
            "language_name": dict(GroupLanguage.choices).get(language, ""),
            # Her language's groups first, of every programme (only when she needs one).
            "suiting": sessions_suiting(language) if language else [],
            "form": form,
            "bookings": rules.active_bookings_of(referral),
            "resendable": RESENDABLE,
        },
        status=status,
    )


@require_safe
@login_required
def book_sessions(request, pk):
    return render_booking_page(request, workable_case(request.user, pk))


@require_POST
@login_required
def book(request, pk):
    referral = workable_case(request.user, pk)
    # Only the chosen session is read: computing every upcoming session's fill here made
    # each booking wait longer for the session's lock under contention (make bench).
    chosen = request.POST.get("session", "")
    sessions = (
        list(upcoming_sessions().filter(pk=chosen)) if chosen.isascii() and chosen.isdigit() else []
    )
    form = BookSessionForm(
        request.POST, sessions=sessions, offer_interpreter=her_language(referral) is not None
    )
    if form.is_valid():
        session = next(s for s in sessions if s.pk == form.cleaned_data["session"])
        details = {
            "children": form.children(),
            "children_in_creche": form.cleaned_data["children_in_creche"],
            "interpreter": form.interpreter(),
        }
        try:
            if form.cleaned_data["whole_series"] and session.series_id:
                bookings, refusals = rules.book_client_into_series(
                    actor=request.user, referral=referral, series=session.series, **details
                )
                for refused, reason in refusals:
                    messages.warning(request, f"{refused}: {reason}")
            else:
                bookings = [
                    rules.book_client(
                        actor=request.user, referral=referral, session=session, **details
                    )
                ]
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            confirmed = sum(b.status == "confirmed" for b in bookings)
            messages.success(
                request,
                _("Booked: %(confirmed)d confirmed, %(waitlisted)d on the waiting list.")
                % {"confirmed": confirmed, "waitlisted": len(bookings) - confirmed},
            )
            # Why she is waiting, in plain words (the first reason is enough to act on).
            reasons = [b.waitlisted_because for b in bookings if b.waitlisted_because]
            if reasons:
                messages.info(request, reasons[0])
            return redirect("sessions_booking:book_sessions", pk=referral.pk)
    # Show the same programme's sessions again, with what she chose still chosen.
    request.GET = request.GET.copy()
    request.GET["programme"] = request.POST.get("programme", "")
    return render_booking_page(request, referral, form=form, status=400)


def workable_booking(user, pk) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("session__venue"), pk=pk)
    workable_case(user, booking.referral_id)
    return booking


# The answer on the confirmation page that really cancels: a mistaken tap on "Cancel
# booking" gives her place away, so one tap only asks.
SURE = "yes"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cancel(request, pk):
    """GET (or a POST without ``sure``) asks; a POST with ``sure=yes`` cancels."""
    booking = workable_booking(request.user, pk)
    if request.method != "POST" or request.POST.get("sure") != SURE:
        return render(
            request,
            "sessions_booking/cancel_booking.html",
            {"booking": booking, "referral": booking.referral, "sure": SURE},
        )
    try:
        promoted = rules.cancel_booking(actor=request.user, booking=booking)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Booking cancelled."))
        if promoted:
            messages.info(request, _("The place went to a woman on the waiting list."))
    return redirect("sessions_booking:book_sessions", pk=booking.referral_id)


@require_POST
@login_required
def resend(request, pk):
    """Her keyworker (or team lead) sends a reminder again now, if that is safe; audited."""
    reminder = get_object_or_404(Reminder.objects.select_related("booking__session"), pk=pk)
    workable_case(request.user, reminder.booking.referral_id)
    try:
        resend_reminder(actor=request.user, reminder=reminder)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        transaction.on_commit(lambda: notices.wake(send_due_reminders), robust=True)
        messages.success(request, _("The reminder will be sent again within a minute."))
    return redirect("sessions_booking:book_sessions", pk=reminder.booking.referral_id)


@require_safe
@login_required
def calendar_file(request, pk):
    booking = workable_booking(request.user, pk)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORTED,
        referral=booking.referral,
        what="booking .ics",
    )
    response = HttpResponse(booking_calendar(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


def roster_session(user, pk) -> GroupSession:
    """The facilitator of the session, or a service admin; anyone else 404."""
    session = get_object_or_404(
        GroupSession.objects.select_related("programme", "venue", "facilitator"), pk=pk
    )
    if session.facilitator_id != user.pk and not user.has_perm(CONFIGURE_SERVICE):
        raise Http404
    return session


def render_roster(request, session, form=None, status=200):
    bookings = list(
        session.bookings.filter(status__in=SEAT_HOLDING)
        .select_related("referral")
        # Only what the roster shows: no other case field is even read (or decrypted).
        .only(
            "session_id",
            "referral_id",
            "status",
            "children_in_creche",
            "children_ages",
            "interpreter_language",
            "referral__id",
            "referral__preferred_name",
        )
        .annotate(interpreter_confirmed=interpreter_confirmed_for_booking())
        .order_by("referral__preferred_name")
    )
    filled = with_fill(GroupSession.objects.filter(pk=session.pk)).get()
    form = form or AttendanceForm(bookings=bookings)
    return render(
        request,
        "sessions_booking/roster.html",
        {
            "session": session,
            "fill": filled,
            "bookings": bookings,
            "waitlisted": session.bookings.filter(status="waitlisted").count(),
            "form": form,
            "rows": [(booking, form[f"booking_{booking.pk}"]) for booking in bookings],
        },
        status=status,
    )


@require_safe
@login_required
def roster(request, pk):
    """Preferred names and crèche needs only: a facilitator needs nothing else."""
    return render_roster(request, roster_session(request.user, pk))


@require_POST
@login_required
def attendance(request, pk):
    session = roster_session(request.user, pk)
    bookings = list(session.bookings.filter(status__in=SEAT_HOLDING).select_related("referral"))
    form = AttendanceForm(request.POST, bookings=bookings)
    if form.is_valid():
        try:
            rules.mark_attendance(actor=request.user, session=session, marks=form.marks())
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Register saved."))
            return redirect("sessions_booking:session_roster", pk=session.pk)
    return render_roster(request, session, form=form, status=400)
