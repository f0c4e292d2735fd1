"""Booking rules at service level: places, crèche places, waitlists, cancellations,
series, attendance, and the last place under real concurrency on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from core.refusals import Refused
from referrals.models import Referral
from sessions_booking.models import Booking, BookingStatus, SessionSeries
from sessions_booking.services.booking import (
    book_client,
    book_client_into_series,
    cancel_booking,
    cancel_session,
    mark_attendance,
)
from tests.support.factories import (
    GroupSessionFactory,
    ReferralFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED = BookingStatus.CONFIRMED, BookingStatus.WAITLISTED


def woman(keyworker, **kwargs):
    return ReferralFactory(team=keyworker.team, assigned_to=keyworker, **kwargs)


def book(actor, session, referral=None, children=0, **kwargs):
    referral = referral or woman(actor)
    return book_client(
        actor=actor,
        referral=referral,
        session=session,
        children_in_creche=children,
        **kwargs,
    )


def statuses(session):
    return list(session.bookings.order_by("pk").values_list("status", flat=True))


def test_she_is_confirmed_while_places_are_free_then_waitlisted(keyworker):
    session = GroupSessionFactory(capacity=2, creche_places=0)
    assert book(keyworker, session).status == CONFIRMED
    assert book(keyworker, session).status == CONFIRMED
    assert book(keyworker, session).status == WAITLISTED
    assert AuditEvent.objects.filter(action=AuditAction.BOOKED).count() == 3


def test_a_mother_needing_childcare_is_confirmed_only_if_the_creche_has_room(keyworker):
    session = GroupSessionFactory(capacity=12, creche_places=3)
    assert book(keyworker, session, children=2).status == CONFIRMED
    assert book(keyworker, session, children=2).status == WAITLISTED  # 1 crèche place left
    assert book(keyworker, session, children=1).status == CONFIRMED
    assert book(keyworker, session, children=0).status == CONFIRMED  # seats still free


def test_one_active_booking_per_woman_per_session(keyworker):
    session = GroupSessionFactory()
    referral = woman(keyworker)
    book(keyworker, session, referral)
    with pytest.raises(Refused, match="already booked"):
        book(keyworker, session, referral)
    # And the database itself refuses a second active row, whatever code tries.
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session, referral=referral, status=WAITLISTED, booked_by=keyworker
        )
    # Once cancelled, she may be booked again.
    cancel_booking(actor=keyworker, booking=session.bookings.get())
    assert book(keyworker, session, referral).status == CONFIRMED


@pytest.mark.parametrize(
    ("session_kwargs", "children", "message"),
    [
        # Times as offsets from the test's clock, which may be moved (tests/support/clock.py).
        ({"starts_at": -timedelta(hours=1)}, 0, "already started"),
        ({"booking_cutoff": -timedelta(minutes=1)}, 0, "closed at"),
        ({"cancelled_at": timedelta(0)}, 0, "cancelled"),
        ({"creche_places": 0}, 1, "no crèche"),
    ],
    ids=["past", "cut-off passed", "cancelled", "no crèche places"],
)
def test_bookings_that_cannot_happen_are_refused_clearly(
    keyworker, session_kwargs, children, message
):
    now = timezone.now()
    session_kwargs = {
        name: now + value if isinstance(value, timedelta) else value
        for name, value in session_kwargs.items()
    }
    starts = session_kwargs.get("starts_at", now + timedelta(days=3))
    session = GroupSessionFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        booking_cutoff=session_kwargs.get("booking_cutoff", min(starts, now + timedelta(days=2))),
        **{k: v for k, v in session_kwargs.items() if k not in ("starts_at", "booking_cutoff")},
    )
    with pytest.raises(Refused, match=message):
        book(keyworker, session, children=children)
    assert not Booking.objects.exists()


def test_a_creche_need_at_a_venue_without_a_creche_is_refused(keyworker):
    session = GroupSessionFactory(venue=VenueFactory(name="Library", creche_on_site=False))
    with pytest.raises(Refused, match="no crèche"):
        book(keyworker, session, children=1)


def test_overlapping_sessions_for_the_same_woman_are_refused(keyworker):
    first = GroupSessionFactory()
    overlapping = GroupSessionFactory(
        starts_at=first.starts_at + timedelta(hours=1),
        ends_at=first.ends_at + timedelta(hours=1),
        booking_cutoff=first.booking_cutoff,
    )
    later = GroupSessionFactory(
        starts_at=first.ends_at,
        ends_at=first.ends_at + timedelta(hours=1),
        booking_cutoff=first.booking_cutoff,
    )
    referral = woman(keyworker)
    book(keyworker, first, referral)
    with pytest.raises(Refused, match="another session at that time"):
        book(keyworker, overlapping, referral)
    assert book(keyworker, later, referral).status == CONFIRMED  # back to back is fine


def test_cancelling_promotes_the_first_waitlisted_woman_who_fits(
    keyworker, django_capture_on_commit_callbacks, settings
):
    from config.celery import app

    session = GroupSessionFactory(capacity=2, creche_places=2)
    book(keyworker, session, children=1)
    leaving = book(keyworker, session, children=1)
    too_many_children = book(
        keyworker, session, woman(keyworker, email="a@example.org"), children=2
    )
    fits = book(
        keyworker,
        session,
        woman(keyworker, email="fits@example.org", safe_channels=["email"]),
        children=1,
    )
    assert statuses(session) == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            promoted = cancel_booking(actor=keyworker, booking=leaving)
    finally:
        app.conf.task_always_eager = False
    assert promoted == [fits]
    too_many_children.refresh_from_db()
    assert too_many_children.status == WAITLISTED
    assert statuses(session) == [CONFIRMED, BookingStatus.CANCELLED, WAITLISTED, CONFIRMED]
    # She is told (email marked safe, discreet) and so is her keyworker.
    to_her = [m for m in mail.outbox if m.to == ["fits@example.org"]]
    assert len(to_her) == 1
    assert "Haven" not in to_her[0].subject + to_her[0].body
    assert any(m.to == [keyworker.email] for m in mail.outbox)


def test_a_woman_without_a_safe_channel_is_not_messaged_but_her_keyworker_is(
    keyworker, django_capture_on_commit_callbacks
):
    from config.celery import app

    session = GroupSessionFactory(capacity=1, creche_places=0)
    leaving = book(keyworker, session)
    book(keyworker, session, woman(keyworker, email="no@example.org", safe_channels=["call"]))
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cancel_booking(actor=keyworker, booking=leaving)
    finally:
        app.conf.task_always_eager = False
    assert [m.to for m in mail.outbox] == [[keyworker.email]]
    assert "could not be messaged safely" in mail.outbox[0].body


def test_a_woman_who_allows_only_texts_is_texted_discreetly(
    keyworker, django_capture_on_commit_callbacks, caplog
):
    from config.celery import app

    session = GroupSessionFactory(capacity=1, creche_places=0)
    leaving = book(keyworker, session)
    texted = woman(keyworker, safe_channels=["sms"], phone="+447911123499", safe_days=[],
                   safe_from=None, safe_until=None, may_name_service=False)  # fmt: skip
    book(keyworker, session, texted)
    app.conf.task_always_eager = True
    try:
        with (
            caplog.at_level("INFO", logger="haven.messages"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            cancel_booking(actor=keyworker, booking=leaving)
    finally:
        app.conf.task_always_eager = False
    (text,) = [r.getMessage() for r in caplog.records if "+447911123499" in r.getMessage()]
    assert "A place has come up for you" in text
    assert "Haven" not in text
    assert "She was told by text message." in mail.outbox[0].body


def test_cancelling_a_session_cancels_every_booking(keyworker, django_capture_on_commit_callbacks):
    session = GroupSessionFactory(capacity=1, creche_places=0)
    book(keyworker, session)
    book(keyworker, session)
    with django_capture_on_commit_callbacks() as callbacks:
        assert cancel_session(actor=keyworker, session=session) == 2
    assert callbacks  # the messages go out after commit
    assert set(statuses(session)) == {BookingStatus.CANCELLED}
    session.refresh_from_db()
    assert session.is_cancelled
    with pytest.raises(Refused):
        book(keyworker, session)


def test_booking_a_series_books_every_future_session(keyworker):
    first = GroupSessionFactory()
    series = SessionSeries.objects.create(
        programme=first.programme,
        venue=first.venue,
        first_date=first.starts_at.date(),
        start_time=first.starts_at.time(),
        weeks=4,
        capacity=12,
        creche_places=4,
    )
    past_start = timezone.now() - timedelta(days=7)
    sessions = [
        GroupSessionFactory(
            programme=first.programme,
            venue=first.venue,
            series=series,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            booking_cutoff=start - timedelta(hours=2),
        )
        for start in [past_start] + [first.starts_at + timedelta(weeks=w) for w in range(3)]
    ]
    bookings, refusals = book_client_into_series(
        actor=keyworker, referral=woman(keyworker), series=series
    )
    assert [b.session for b in bookings] == sessions[1:]
    assert refusals == []


def test_attendance_marks_and_two_missed_sessions_in_a_row_flag_the_case(keyworker):
    referral = woman(keyworker)
    sessions = []
    for days_ago in (21, 14, 7):
        start = timezone.now() + timedelta(days=1)
        session = GroupSessionFactory(starts_at=start, ends_at=start + timedelta(hours=2))
        book(keyworker, session, referral)
        started = timezone.now() - timedelta(days=days_ago)
        type(session).objects.filter(pk=session.pk).update(
            starts_at=started,
            ends_at=started + timedelta(hours=2),
            booking_cutoff=started - timedelta(hours=2),
        )
        session.refresh_from_db()
        sessions.append(session)
    mark = {BookingStatus.ATTENDED: "attended", BookingStatus.DID_NOT_ATTEND: "did_not_attend"}
    for session, status in zip(
        sessions,
        [BookingStatus.ATTENDED, BookingStatus.DID_NOT_ATTEND, BookingStatus.DID_NOT_ATTEND],
        strict=True,
    ):
        mark_attendance(
            actor=keyworker, session=session, marks={session.bookings.get().pk: mark[status]}
        )
    referral.refresh_from_db()
    assert referral.missed_sessions_in_a_row == 2
    mark_attendance(
        actor=keyworker, session=sessions[2], marks={sessions[2].bookings.get().pk: "late"}
    )
    referral.refresh_from_db()
    assert referral.missed_sessions_in_a_row == 0
    assert AuditEvent.objects.filter(action=AuditAction.MARKED_ATTENDANCE).count() == 4


def test_the_register_opens_only_when_the_session_starts(keyworker):
    session = GroupSessionFactory()
    booking = book(keyworker, session)
    with pytest.raises(Refused, match="register opens"):
        mark_attendance(actor=keyworker, session=session, marks={booking.pk: "attended"})


# --- concurrency ---------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_keyworkers_booking_at_once_never_overbook(keyworker):
    """50 threads, each on its own database connection, book into 12 places and 4 crèche
    places at the same moment. The session row lock serialises them."""
    session = GroupSessionFactory(capacity=12, creche_places=4)
    women = [
        ReferralFactory(team=keyworker.team, assigned_to=keyworker, preferred_name=f"W{i}")
        for i in range(50)
    ]
    children = [1 if i % 5 == 0 else 0 for i in range(50)]  # ten mothers need the crèche
    start = threading.Barrier(50)
    errors = []

    def attempt(referral, kids):
        try:
            request = keyworker
            start.wait()
            book_client(actor=request, referral=referral, session=session, children_in_creche=kids)
        except Exception as error:  # any error at all fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=pair) for pair in zip(women, children, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    bookings = Booking.objects.filter(session=session)
    assert bookings.count() == 50
    confirmed = bookings.filter(status=CONFIRMED)
    assert confirmed.count() == 12
    assert sum(confirmed.values_list("children_in_creche", flat=True)) <= 4
    assert bookings.filter(status=WAITLISTED).count() == 38
    assert Referral.objects.count() == 50


def test_a_cancelled_session_is_announced_safely_and_discreetly(
    keyworker, django_capture_on_commit_callbacks
):
    from config.celery import app

    session = GroupSessionFactory(capacity=2, creche_places=0)
    safe = woman(keyworker, email="safe@example.org", safe_channels=["email"])
    unsafe = woman(keyworker, email="unsafe@example.org", safe_channels=["call"])
    book(keyworker, session, safe)
    book(keyworker, session, unsafe)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cancel_session(actor=keyworker, session=session)
    finally:
        app.conf.task_always_eager = False
    recipients = [m.to[0] for m in mail.outbox]
    assert "safe@example.org" in recipients
    assert "unsafe@example.org" not in recipients
    to_her = next(m for m in mail.outbox if m.to == ["safe@example.org"])
    text = (to_her.subject + to_her.body).lower()
    for word in ("haven", "drug", "alcohol", "treatment", "recovery", "group"):
        assert word not in text
    assert recipients.count(keyworker.email) == 2


def test_women_booked_into_a_session_are_told_when_its_time_changes(
    keyworker, django_capture_on_commit_callbacks
):
    from config.celery import app
    from sessions_booking.services.scheduling import update_session

    session = GroupSessionFactory(capacity=2, creche_places=0)
    her = woman(keyworker, email="her@example.org", safe_channels=["email"])
    book(keyworker, session, her)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            update_session(
                session=session, venue=session.venue, facilitator=None,
                starts_at=session.starts_at + timedelta(hours=1),
                ends_at=session.ends_at + timedelta(hours=1), capacity=2, creche_places=0,
                booking_cutoff_hours=2,
            )  # fmt: skip
        assert [m.to for m in mail.outbox if m.subject == "Appointment changed"] == [
            ["her@example.org"]
        ]
        assert [m.to for m in mail.outbox if m.to == [keyworker.email]] == [[keyworker.email]]
        mail.outbox.clear()
        # Changing only the number of places tells nobody.
        with django_capture_on_commit_callbacks(execute=True):
            session.refresh_from_db()
            update_session(
                session=session, venue=session.venue, facilitator=None,
                starts_at=session.starts_at, ends_at=session.ends_at, capacity=3,
                creche_places=0, booking_cutoff_hours=2,
            )  # fmt: skip
        assert mail.outbox == []
    finally:
        app.conf.task_always_eager = False
