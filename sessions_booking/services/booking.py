"""Booking women into group sessions: the capacity rules live here and only here.

As pretix does with its quota locks, every change to a session's bookings first locks the
session row (``select_for_update``) inside one transaction, then counts places in the
database. Two keyworkers booking the last place at the same moment are serialised: one
gets it, the other's booking is waitlisted.
"""

from dataclasses import dataclass
from datetime import date, datetime

import pghistory
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import notices.services as notices
from core import audit
from core.choices import AuditAction
from core.refusals import Refused
from sessions_booking.history import HER_BOOKING
from sessions_booking.models import (
    ATTENDANCE_MARKS,
    SEAT_HOLDING,
    BookedChild,
    Booking,
    BookingStatus,
    GroupSession,
)
from sessions_booking.notices import PROMOTED, SESSION_CANCELLED, SESSION_CHANGED, SHE_CANCELLED
from sessions_booking.rules import creche
from sessions_booking.rules.language import interpreter_language_for
from sessions_booking.selectors import with_fill
from sessions_booking.services import interpreters
from sessions_booking.services.links import LinkState, confirm_coming, find_link, spend, state_of
from sessions_booking.services.reminders import cancel_reminders, schedule_reminders

ACTIVE = [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]


@dataclass(frozen=True)
class Child:
    """A child to book into the crèche: a date of birth, or an age in years on the day of
    the session (neither: an age not given, counted as under 2)."""

    date_of_birth: date | None = None
    age_in_years: int | None = None


@dataclass(frozen=True)
class Fill:
    """What a locked session has left: seats, and its crèche (room limit, workers and the
    children already holding places, by age band)."""

    free_places: int
    room_limit: int
    workers: int
    children: creche.Children

    def creche_fits(self, adding: creche.Children) -> bool:
        return creche.fits(
            confirmed=self.children, adding=adding, workers=self.workers, room_limit=self.room_limit
        )

    def fits(self, adding: creche.Children) -> bool:
        return self.free_places >= 1 and self.creche_fits(adding)

    def why_not(self, adding: creche.Children) -> str | None:
        if self.free_places < 1:
            return _("Every place is taken.")
        return creche.why_not(
            confirmed=self.children, adding=adding, workers=self.workers, room_limit=self.room_limit
        )

    def taking(self, adding: creche.Children) -> "Fill":
        return Fill(self.free_places - 1, self.room_limit, self.workers, self.children + adding)


def _lock(session_pk: int) -> GroupSession:
    return GroupSession.objects.select_for_update().select_related("venue").get(pk=session_pk)


def _fill(session: GroupSession) -> Fill:
    counted = with_fill(GroupSession.objects.filter(pk=session.pk)).values(
        "free_places", "under_2_used", "aged_2_used", "three_plus_used"
    )[0]
    return Fill(
        counted["free_places"],
        session.creche_places,
        session.creche_workers,
        creche.Children(
            counted["under_2_used"], counted["aged_2_used"], counted["three_plus_used"]
        ),
    )


def bands_of(booking: Booking) -> creche.Children:
    return creche.Children(booking.creche_under_2, booking.creche_aged_2, booking.creche_3_plus)


def session_day(session: GroupSession) -> date:
    return timezone.localtime(session.starts_at).date()


def children_from(children, children_in_creche: int, children_ages) -> list[Child]:
    """The children to book: given one by one, or (as before ratios) a count and ages."""
    if children is not None:
        return list(children)
    ages = list(children_ages or [])[:children_in_creche]
    return [Child(age_in_years=age) for age in ages] + [Child()] * (children_in_creche - len(ages))


def _check_children(children: list[Child], day: date) -> None:
    for child in children:
        problem = creche.check_child_age(
            date_of_birth=child.date_of_birth, age_in_years=child.age_in_years, on=day
        )
        if problem:
            raise Refused(problem)


def _when(session: GroupSession) -> str:
    return date_format(timezone.localtime(session.starts_at), "D j M H:i")


def _check_can_book(session, referral, children: int, now: datetime) -> None:
    if session.is_cancelled:
        raise Refused(_("This session has been cancelled."))
    if session.starts_at <= now:
        raise Refused(_("This session has already started."))
    if session.booking_cutoff <= now:
        raise Refused(
            _("Booking for the session on %(when)s closed at %(cutoff)s.")
            % {
                "when": _when(session),
                "cutoff": date_format(timezone.localtime(session.booking_cutoff), "D j M H:i"),
            }
        )
    if children and (session.creche_places == 0 or not session.venue.creche_on_site):
        raise Refused(
            _("There is no crèche at this session. Book without crèche places, or choose another.")
        )
    if session.bookings.filter(referral=referral, status__in=ACTIVE).exists():
        raise Refused(_("She is already booked into this session."))
    overlapping = Booking.objects.filter(
        referral=referral,
        status__in=ACTIVE,
        session__cancelled_at__isnull=True,
        session__starts_at__lt=session.ends_at,
        session__ends_at__gt=session.starts_at,
    ).exclude(session=session)
    if overlapping.exists():
        raise Refused(
            _("She is already booked into another session at that time (%(when)s).")
            % {"when": _when(overlapping.select_related("session").first().session)}
        )


def book_client(
    *,
    actor,
    referral,
    session: GroupSession,
    children: list[Child] | None = None,
    children_in_creche: int = 0,
    children_ages: list[int] | None = None,
    interpreter: interpreters.InterpreterWish | None = None,
    now: datetime | None = None,
) -> Booking:
    """Confirm her if a place is free and her children fit the crèche (its room limit and
    the EYFS ratios, rules/creche.py); otherwise waitlist her. ``booking.waitlisted_because``
    says why, in plain words. When she needs an interpreter for the session's language and
    ``interpreter`` is given, one is requested (or the standing request kept)."""
    now = now or timezone.now()
    children = children_from(children, children_in_creche, children_ages)
    with transaction.atomic():
        session = _lock(session.pk)
        _check_can_book(session, referral, len(children), now)
        day = session_day(session)
        _check_children(children, day)
        ages = [
            creche.age_at_session(
                date_of_birth=child.date_of_birth, age_in_years=child.age_in_years, on=day
            )
            for child in children
        ]
        adding = creche.Children.of_bands(creche.age_band(age_in_years=age) for age in ages)
        fill = _fill(session)
        fits = fill.fits(adding)
        booking = Booking.objects.create(
            session=session,
            referral=referral,
            status=BookingStatus.CONFIRMED if fits else BookingStatus.WAITLISTED,
            children_in_creche=len(children),
            children_ages=[age for age in ages if age is not None],
            creche_under_2=adding.under_2,
            creche_aged_2=adding.aged_2,
            creche_3_plus=adding.three_plus,
            interpreter_language=interpreter_language_for(referral, session) or "",
            booked_by=actor,
        )
        BookedChild.objects.bulk_create(
            BookedChild(
                booking=booking, date_of_birth=child.date_of_birth, age_in_years=child.age_in_years
            )
            for child in children
        )
        booking.waitlisted_because = None if fits else fill.why_not(adding)
        schedule_reminders(booking, now=now)
        audit.record(
            actor=actor,
            action=AuditAction.BOOKED,
            referral=referral,
            session=session.pk,
            status=booking.status,
        )
        if booking.interpreter_language:
            # She is coming for this language: a request flagged for cancelling stands again.
            interpreters.clear_flag(session, booking.interpreter_language)
            if interpreter is not None:
                interpreters.request_interpreter(
                    actor=actor,
                    session=session,
                    language=booking.interpreter_language,
                    mode=interpreter.mode,
                    female=interpreter.female,
                )
    return booking


def book_client_into_series(
    *,
    actor,
    referral,
    series,
    children=None,
    children_in_creche=0,
    children_ages=None,
    interpreter=None,
):
    """Book every future session of a series. Returns (bookings, refusals): a session she
    cannot be booked into (say, she is busy then) is reported, not fatal."""
    now = timezone.now()
    bookings, refusals = [], []
    sessions = series.sessions.filter(cancelled_at__isnull=True, booking_cutoff__gt=now)
    for session in sessions.order_by("starts_at", "pk"):
        try:
            bookings.append(
                book_client(
                    actor=actor,
                    referral=referral,
                    session=session,
                    children=children,
                    children_in_creche=children_in_creche,
                    children_ages=children_ages,
                    interpreter=interpreter,
                    now=now,
                )
            )
        except Refused as refusal:
            refusals.append((session, str(refusal)))
    return bookings, refusals


def promote_waitlist(session: GroupSession) -> list[Booking]:
    """Confirm waitlisted women, first come first served, skipping anyone whose children do
    not fit the crèche (room limit and ratios) as it now stands. Call with the session row
    locked."""
    fill = _fill(session)
    promoted = []
    for booking in session.bookings.filter(status=BookingStatus.WAITLISTED).order_by(
        "created_at", "pk"
    ):
        if fill.free_places < 1:
            break
        adding = bands_of(booking)
        if not fill.fits(adding):
            continue
        booking.status = BookingStatus.CONFIRMED
        booking.promoted_at = timezone.now()
        booking.save(update_fields=["status", "promoted_at", "updated_at"])
        schedule_reminders(booking)
        fill = fill.taking(adding)
        promoted.append(booking)
    notices.queue(PROMOTED, *[booking.pk for booking in promoted])
    return promoted


def cancel_booking(
    *, actor, booking: Booking, action: AuditAction = AuditAction.CANCELLED_BOOKING
) -> list[Booking]:
    """Cancel a booking, free the place and promote whoever fits, in one transaction.
    Returns the promoted bookings. ``action`` is what the audit trail records (staff
    cancelling, or she herself through her reminder link)."""
    with transaction.atomic():
        session = _lock(booking.session_id)
        booking = session.bookings.select_for_update().get(pk=booking.pk)
        if booking.status not in ACTIVE:
            raise Refused(_("This booking is not active."))
        if session.starts_at <= timezone.now():
            raise Refused(
                _("The session has started: mark her attendance in the register instead.")
            )
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        cancel_reminders([booking.pk])
        audit.record(actor=actor, action=action, referral=booking.referral, session=session.pk)
        interpreters.flag_interpreters_no_longer_needed(session, [booking.interpreter_language])
        return promote_waitlist(session)


def cancel_session(*, actor, session: GroupSession) -> int:
    """Cancel a session and every active booking in it; each woman is told within her
    safe-contact rules (a notice queued with the change). Returns how many bookings were
    cancelled."""
    with transaction.atomic():
        session = _lock(session.pk)
        if session.is_cancelled:
            raise Refused(_("This session is already cancelled."))
        session.cancelled_at = timezone.now()
        session.save(update_fields=["cancelled_at"])
        bookings = list(session.bookings.filter(status__in=ACTIVE).select_related("referral"))
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
            status=BookingStatus.CANCELLED, updated_at=timezone.now()
        )
        cancel_reminders(b.pk for b in bookings)
        interpreters.flag_every_request(session, at=session.cancelled_at)
        for booking in bookings:
            audit.record(
                actor=actor,
                action=AuditAction.CANCELLED_BOOKING,
                referral=booking.referral,
                session=session.pk,
                reason="session cancelled",
            )
        notices.queue(SESSION_CANCELLED, *[booking.pk for booking in bookings])
    return len(bookings)


MISSED = [BookingStatus.DID_NOT_ATTEND]


def mark_attendance(*, actor, session: GroupSession, marks: dict[int, str]) -> None:
    """Record the register: attended, late, did not attend or cancelled late, for booked
    women only. Two missed sessions in a row flag her case for her keyworker."""
    with transaction.atomic():
        session = _lock(session.pk)
        if session.starts_at > timezone.now():
            raise Refused(_("The register opens when the session starts."))
        bookings = {
            b.pk: b
            for b in session.bookings.filter(status__in=SEAT_HOLDING).select_related("referral")
        }
        for booking_id, mark in marks.items():
            booking = bookings.get(booking_id)
            if booking is None or mark not in ATTENDANCE_MARKS or booking.status == mark:
                continue
            booking.status = mark
            booking.save(update_fields=["status", "updated_at"])
            audit.record(
                actor=actor,
                action=AuditAction.MARKED_ATTENDANCE,
                referral=booking.referral,
                session=session.pk,
                mark=mark,
            )
            update_missed_in_a_row(booking.referral)


def update_missed_in_a_row(referral) -> int:
    """How many of her most recent marked sessions in a row she missed, stored on the case
    so lists can flag it without extra queries."""
    marked = (
        Booking.objects.filter(referral=referral, status__in=ATTENDANCE_MARKS)
        .order_by("-session__starts_at")
        .values_list("status", flat=True)
    )
    missed = 0
    for status in marked:
        if status not in MISSED:
            break
        missed += 1
    type(referral).objects.filter(pk=referral.pk).update(missed_sessions_in_a_row=missed)
    referral.missed_sessions_in_a_row = missed
    return missed


def active_bookings_of(referral):
    return (
        Booking.objects.filter(referral=referral)
        .filter(Q(status__in=ACTIVE) | Q(status__in=ATTENDANCE_MARKS))
        .select_related("session__programme", "session__venue")
        .prefetch_related("reminders")
        .order_by("session__starts_at")
    )


def refresh_bookings_after_change(session: GroupSession, *, old_starts_at, old_language) -> None:
    """After a session moved to another day or changed language: her children's age bands
    are worked out again for the new day (a birthday may fall between), and which women
    need an interpreter for the new language. Call with the session row locked."""
    new_day = session_day(session) != timezone.localtime(old_starts_at).date()
    if not new_day and session.language == old_language:
        return
    day = session_day(session)
    bookings = session.bookings.filter(status__in=ACTIVE).select_related("referral")
    for booking in bookings.prefetch_related("children"):
        if new_day and booking.children_in_creche:
            ages = [
                creche.age_at_session(
                    date_of_birth=child.date_of_birth, age_in_years=child.age_in_years, on=day
                )
                for child in booking.children.all()
            ]
            bands = creche.Children.of_bands(creche.age_band(age_in_years=age) for age in ages)
            booking.creche_under_2 = bands.under_2
            booking.creche_aged_2 = bands.aged_2
            booking.creche_3_plus = bands.three_plus
        booking.interpreter_language = interpreter_language_for(booking.referral, session) or ""
        booking.save(
            update_fields=[
                "creche_under_2",
                "creche_aged_2",
                "creche_3_plus",
                "interpreter_language",
                "updated_at",
            ]
        )


def announce_changes(session: GroupSession, *, old_starts_at, old_venue_id) -> int:
    """After a session's time or place changed, tell every woman booked into it (within
    her safe-contact rules: a notice queued with the change) and her keyworker. Returns how
    many were queued. Call it in the transaction that changed the session."""
    if session.starts_at == old_starts_at and session.venue_id == old_venue_id:
        return 0

    if session.starts_at != old_starts_at:
        # Her reminders move with the session (those already sent stay as they were).
        confirmed = session.bookings.filter(status=BookingStatus.CONFIRMED)
        for booking in confirmed.select_related("referral", "session__programme"):
            schedule_reminders(booking)

    ids = list(session.bookings.filter(status__in=ACTIVE).values_list("pk", flat=True))
    notices.queue(SESSION_CHANGED, *ids)
    return len(ids)


def answer_by_her_link(*, token: str, action: str):
    """She confirms or cancels through the link in her reminder (no member of staff acts, so
    the audit trail records no actor, and her booking's history records that she did it).
    Returns the link (None if unknown) and the state that stopped the answer, or None when
    it was done. Cancelling gives her place to the next woman waiting and tells her
    keyworker."""
    with transaction.atomic():
        link = find_link(token, for_update=True)
        state = state_of(link)
        if state is not LinkState.OPEN:
            return link, state
        with pghistory.context(**{HER_BOOKING: link.booking_id}):
            return link, _answer(link, action)


def _answer(link, action: str) -> LinkState | None:
    referral = link.booking.referral
    if action == "confirm":
        confirm_coming(link)
        audit.record(
            actor=None, action=AuditAction.SHE_CONFIRMED, referral=referral,
            booking=link.booking_id,
        )  # fmt: skip
        return None
    try:
        cancel_booking(actor=None, booking=link.booking, action=AuditAction.SHE_CANCELLED)
    except Refused:  # the session started a moment ago
        return LinkState.EXPIRED
    spend(link)
    notices.queue(SHE_CANCELLED, link.booking_id)
    return None
