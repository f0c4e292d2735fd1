"""The crèche follows England's EYFS ratios by the children's ages on the day of the session
(under 2: one worker to 3; aged 2: one to 5; 3 and over: one to 8) and its room limit: the
rule itself at each boundary, booking and the waiting list with it, and the edits it
refuses."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.refusals import Refused
from sessions_booking.models import BookedChild, BookingStatus
from sessions_booking.rules.creche import (
    Children,
    age_on,
    check_child_age,
    describe_room,
    fits,
    room_for,
    why_not,
    workers_needed,
)
from sessions_booking.services import scheduling
from sessions_booking.services.booking import Child, book_client, cancel_booking
from tests.support.factories import GroupSessionFactory, ReferralFactory

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED = BookingStatus.CONFIRMED, BookingStatus.WAITLISTED
LONDON = ZoneInfo("Europe/London")
# Every test here runs on Monday 1 March 2027; GroupSessionFactory's session is a week
# later, Monday 8 March 2027 at 10:00.
TODAY = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)
SESSION_DAY = date(2027, 3, 8)


@pytest.fixture(autouse=True)
def first_of_march(time_machine):
    time_machine.move_to(TODAY, tick=False)


def babies(n):
    return Children(under_2=n)


def twos(n):
    return Children(aged_2=n)


def olders(n):
    return Children(three_plus=n)


# --- the rule ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("children", "workers"),
    [
        (Children(), 0),
        (babies(1), 1),
        (babies(3), 1),
        (babies(4), 2),
        (babies(6), 2),
        (babies(7), 3),
        (twos(5), 1),
        (twos(6), 2),
        (olders(8), 1),
        (olders(9), 2),
        (olders(16), 2),
        # Mixed ages: each band on its own, added up (docs/design.md, Crèche ratios).
        (Children(under_2=1, aged_2=1, three_plus=1), 3),
        (Children(under_2=3, aged_2=5, three_plus=8), 3),
        (Children(under_2=4, aged_2=5, three_plus=8), 4),
        (Children(under_2=2, three_plus=9), 3),
    ],
)
def test_workers_needed_by_age_band_at_each_boundary(children, workers):
    assert workers_needed(children) == workers


@pytest.mark.parametrize(
    ("confirmed", "adding", "workers", "room_limit", "expected"),
    [
        (babies(2), babies(1), 1, 10, True),  # the third baby: 1 worker still enough
        (babies(3), babies(1), 1, 10, False),  # the fourth needs a second worker
        (babies(3), babies(1), 2, 10, True),
        (twos(4), twos(1), 1, 10, True),
        (twos(5), twos(1), 1, 10, False),
        (olders(7), olders(1), 1, 10, True),
        (olders(8), olders(1), 1, 10, False),
        # The room limit holds even when the workers would cover more.
        (olders(4), olders(1), 2, 4, False),
        (olders(3), olders(1), 2, 4, True),
        # Mixed: 2 workers and a baby and 5 older children: another older child fits (the
        # baby takes one worker, the older ones the other), another baby does not.
        (Children(under_2=1, three_plus=5), olders(1), 2, 12, True),
        (Children(under_2=1, three_plus=5), babies(1), 2, 12, True),
        (Children(under_2=3, three_plus=8), babies(1), 2, 20, False),
        (Children(under_2=3, three_plus=7), olders(1), 2, 20, True),
        (Children(under_2=3, three_plus=7), Children(under_2=1, three_plus=1), 3, 20, True),
    ],
)
def test_a_child_fits_only_while_the_ratios_and_the_room_limit_hold(
    confirmed, adding, workers, room_limit, expected
):
    assert fits(confirmed=confirmed, adding=adding, workers=workers, room_limit=room_limit) is (
        expected
    )


def test_ages_are_counted_on_the_day_of_the_session():
    assert age_on(date(2025, 3, 8), SESSION_DAY) == 2  # her second birthday is that day
    assert age_on(date(2025, 3, 9), SESSION_DAY) == 1  # the day after
    assert age_on(date(2024, 2, 29), date(2027, 2, 28)) == 2
    assert age_on(date(2024, 2, 29), date(2027, 3, 1)) == 3


def test_the_reason_a_child_does_not_fit_is_in_plain_words():
    confirmed = Children(under_2=3, three_plus=1)  # one worker for babies, one for the rest
    room = room_for(confirmed=confirmed, workers=2, room_limit=12)
    assert room == Children(under_2=0, aged_2=0, three_plus=7)
    assert describe_room(room) == (
        "the crèche has room for 7 children aged 3 or over, not a baby or a child under 2"
    )
    full_room = why_not(confirmed=olders(4), adding=olders(1), workers=2, room_limit=4)
    assert "the room takes 4 children and 4 already have places" in full_room
    assert why_not(confirmed=confirmed, adding=olders(1), workers=2, room_limit=12) is None


def test_a_child_over_8_or_born_after_the_session_is_refused():
    assert check_child_age(date_of_birth=None, age_in_years=8, on=SESSION_DAY) is None
    assert "would be 9" in check_child_age(date_of_birth=None, age_in_years=9, on=SESSION_DAY)
    assert "would be 9" in check_child_age(
        date_of_birth=date(2018, 3, 8), age_in_years=None, on=SESSION_DAY
    )
    assert check_child_age(date_of_birth=date(2018, 3, 9), age_in_years=None, on=SESSION_DAY) is (
        None
    )
    assert "after the session's day" in check_child_age(
        date_of_birth=date(2027, 3, 9), age_in_years=None, on=SESSION_DAY
    )


# --- booking with the rule -----------------------------------------------------------------
def creche_session(workers, room_limit=12, capacity=12):
    return GroupSessionFactory(capacity=capacity, creche_places=room_limit, creche_workers=workers)


def book(keyworker, session, *children, **kwargs):
    referral = ReferralFactory(team=keyworker.team, assigned_to=keyworker)
    return book_client(
        actor=keyworker, referral=referral, session=session, children=list(children), **kwargs
    )


def born(year, month, day):
    return Child(date_of_birth=date(year, month, day))


def aged(years):
    return Child(age_in_years=years)


def test_one_worker_takes_three_babies_and_the_fourth_waits(keyworker):
    session = creche_session(workers=1)
    assert book(keyworker, session, aged(0), aged(1)).status == CONFIRMED
    assert book(keyworker, session, born(2025, 9, 1)).status == CONFIRMED
    fourth = book(keyworker, session, aged(1))
    assert fourth.status == WAITLISTED
    assert "the crèche is full for every age" in fourth.waitlisted_because
    # An older child needs a worker of her own, and there is none.
    assert book(keyworker, session, aged(4)).status == WAITLISTED


def test_the_booking_says_when_there_is_room_for_an_older_child_not_a_baby(keyworker):
    session = creche_session(workers=2)
    book(keyworker, session, aged(0), aged(1), aged(1))  # the babies' worker
    book(keyworker, session, *[aged(4)] * 7)  # seven of the other worker's eight
    baby = book(keyworker, session, aged(1))
    assert baby.status == WAITLISTED
    assert baby.waitlisted_because == (
        "Her children do not fit in the crèche: with her children there would need to be 3 "
        "crèche workers and there are 2 (the crèche has room for 1 child aged 3 or over, not "
        "a baby or a child under 2)."
    )
    assert book(keyworker, session, aged(3)).status == CONFIRMED


def test_a_child_turning_2_on_the_day_counts_as_aged_2(keyworker):
    session = creche_session(workers=1)
    for _ in range(3):
        book(keyworker, session, aged(1))
    # With three babies the one worker is taken: any further child waits, whatever her age.
    assert book(keyworker, session, born(2025, 3, 8)).status == WAITLISTED
    session = creche_session(workers=2)
    for _ in range(3):
        book(keyworker, session, aged(1))
    twos = [book(keyworker, session, born(2025, 3, 8)) for _ in range(5)]
    assert [b.status for b in twos] == [CONFIRMED] * 5
    assert twos[0].creche_aged_2 == 1
    # The sixth two-year-old would need a third worker; a child born a day later is a baby.
    assert book(keyworker, session, born(2025, 3, 9)).status == WAITLISTED
    assert book(keyworker, session, born(2025, 3, 8)).status == WAITLISTED


def test_mixed_ages_fit_while_each_band_is_covered(keyworker):
    """The mother of a one-year-old and a four-year-old needs two workers' worth of room:
    one for the baby, one for the older child."""
    session = creche_session(workers=2)
    mother = book(keyworker, session, aged(1), aged(4))
    assert mother.status == CONFIRMED
    assert (mother.creche_under_2, mother.creche_aged_2, mother.creche_3_plus) == (1, 0, 1)
    assert sorted(
        BookedChild.objects.filter(booking=mother).values_list("age_in_years", flat=True)
    ) == [1, 4]
    assert book(keyworker, session, aged(0), aged(1)).status == CONFIRMED  # 3 babies, 1 worker
    assert book(keyworker, session, *[aged(5)] * 7).status == CONFIRMED  # 8 older, 1 worker
    late = book(keyworker, session, aged(2))
    assert late.status == WAITLISTED
    assert "the crèche is full for every age" in late.waitlisted_because


def test_the_room_limit_holds_whatever_the_workers(keyworker):
    session = creche_session(workers=5, room_limit=3)
    assert book(keyworker, session, aged(4), aged(5), aged(6)).status == CONFIRMED
    assert book(keyworker, session, aged(4)).status == WAITLISTED


def test_bad_ages_are_refused_with_a_clear_message(keyworker):
    session = creche_session(workers=2)
    with pytest.raises(Refused, match="after the session's day"):
        book(keyworker, session, born(2027, 3, 9))
    with pytest.raises(Refused, match="would be 9"):
        book(keyworker, session, aged(9))
    assert not session.bookings.exists()


def test_children_without_ages_count_as_babies(keyworker):
    session = creche_session(workers=1)
    booking = book_client(
        actor=keyworker,
        referral=ReferralFactory(team=keyworker.team, assigned_to=keyworker),
        session=session,
        children_in_creche=3,
    )
    assert (booking.status, booking.creche_under_2) == (CONFIRMED, 3)
    assert book(keyworker, session, aged(5)).status == WAITLISTED


# --- the waiting list with ratios -------------------------------------------------------------
def test_promotion_skips_a_mother_whose_baby_does_not_fit_and_promotes_the_next(keyworker):
    session = creche_session(workers=2, capacity=3)
    leaving = book(keyworker, session)
    book(keyworker, session, aged(0), aged(1), aged(1))  # three babies: one worker
    book(keyworker, session, aged(5))  # an older child: the other worker
    baby_waiting = book(keyworker, session, aged(1))  # would need a third worker
    older_waiting = book(keyworker, session, aged(3))
    assert [baby_waiting.status, older_waiting.status] == [WAITLISTED, WAITLISTED]

    promoted = cancel_booking(actor=keyworker, booking=leaving)

    assert promoted == [older_waiting]
    baby_waiting.refresh_from_db()
    older_waiting.refresh_from_db()
    assert (baby_waiting.status, older_waiting.status) == (WAITLISTED, CONFIRMED)


def test_adding_a_worker_promotes_the_mother_whose_children_now_fit(keyworker):
    session = creche_session(workers=1)
    for _ in range(3):
        book(keyworker, session, aged(1))
    mother = book(keyworker, session, aged(1), aged(4))
    assert mother.status == WAITLISTED

    scheduling.update_session(session=session, creche_workers=3, **_unchanged(session))

    mother.refresh_from_db()
    assert mother.status == CONFIRMED


def test_fewer_workers_than_the_children_booked_need_is_refused(keyworker):
    session = creche_session(workers=3)
    book(keyworker, session, aged(1), aged(1), aged(1), aged(1))  # four babies: 2 workers
    with pytest.raises(ValidationError) as refused:
        scheduling.update_session(session=session, creche_workers=1, **_unchanged(session))
    assert "need 2 crèche workers" in refused.value.message_dict["creche_workers"][0]
    session.refresh_from_db()
    assert session.creche_workers == 3
    scheduling.update_session(session=session, creche_workers=2, **_unchanged(session))
    session.refresh_from_db()
    assert session.creche_workers == 2


def test_a_crèche_with_places_needs_a_worker(programme, venue):
    with pytest.raises(ValidationError) as refused:
        scheduling.create_session(
            programme=programme,
            venue=venue,
            facilitator=None,
            starts_at=datetime(2027, 3, 8, 10, tzinfo=LONDON),
            ends_at=datetime(2027, 3, 8, 12, tzinfo=LONDON),
            capacity=12,
            creche_places=4,
            creche_workers=0,
            booking_cutoff_hours=2,
        )
    assert "at least 1 crèche worker" in refused.value.message_dict["creche_workers"][0]


def test_places_without_workers_given_get_enough_for_a_room_of_babies(programme, venue):
    session = scheduling.create_session(
        programme=programme,
        venue=venue,
        facilitator=None,
        starts_at=datetime(2027, 3, 8, 10, tzinfo=LONDON),
        ends_at=datetime(2027, 3, 8, 12, tzinfo=LONDON),
        capacity=12,
        creche_places=7,
        booking_cutoff_hours=2,
    )
    assert session.creche_workers == 3


def test_a_series_books_each_session_by_the_children_s_ages_on_its_own_day(
    keyworker, programme, venue
):
    """Her daughter turns 2 between the first and second sessions of a weekly group."""
    series = scheduling.create_weekly_series(
        programme=programme,
        venue=venue,
        facilitator=None,
        first_date=SESSION_DAY,
        start_time=datetime(2027, 3, 8, 10).time(),
        duration_minutes=120,
        weeks=2,
        skip_dates=[],
        capacity=12,
        creche_places=4,
        creche_workers=1,
        booking_cutoff_hours=2,
    )
    from sessions_booking.services.booking import book_client_into_series

    bookings, refusals = book_client_into_series(
        actor=keyworker,
        referral=ReferralFactory(team=keyworker.team, assigned_to=keyworker),
        series=series,
        children=[born(2025, 3, 10)],
    )
    assert refusals == []
    assert [(b.creche_under_2, b.creche_aged_2) for b in bookings] == [(1, 0), (0, 1)]


def _unchanged(session):
    session.refresh_from_db()
    return {
        "venue": session.venue,
        "facilitator": session.facilitator,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "creche_places": session.creche_places,
        "booking_cutoff_hours": int(
            (session.starts_at - session.booking_cutoff).total_seconds() // 3600
        ),
    }


def test_the_session_page_refuses_fewer_workers_and_keeps_what_was_typed(
    client, sign_in, service_admin, keyworker
):
    session = creche_session(workers=3)
    book(keyworker, session, aged(1), aged(1), aged(1), aged(1))  # four babies: 2 workers
    sign_in(service_admin)
    url = reverse("sessions_booking:setup_session_edit", args=[session.pk])
    response = client.post(
        url,
        {
            "venue": session.venue_id, "facilitator": "", "day": "2027-03-08",
            "start_time": "10:00", "end_time": "12:00", "capacity": "11",
            "creche_places": "12", "creche_workers": "1", "language": "ur",
            "booking_cutoff_hours": "2",
        },
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "need 2 crèche workers by the ratios" in html
    assert 'name="capacity" value="11"' in html
    assert re.search(r'<option value="ur"[^>]*selected', html)
    session.refresh_from_db()
    assert (session.creche_workers, session.capacity, session.language) == (3, 12, "en")

    response = client.post(
        url,
        {
            "venue": session.venue_id, "facilitator": "", "day": "2027-03-08",
            "start_time": "10:00", "end_time": "12:00", "capacity": "11",
            "creche_places": "12", "creche_workers": "2", "language": "ur",
            "booking_cutoff_hours": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.creche_workers, session.capacity, session.language) == (2, 11, "ur")
    page = client.get(reverse("sessions_booking:setup_session_detail", args=[session.pk]))
    assert "the children booked need 2 by the ratios" in page.content.decode()


def test_the_calendar_shows_at_a_glance_who_the_creche_still_has_room_for(
    client, sign_in, service_admin, keyworker
):
    session = creche_session(workers=2, room_limit=6)
    book(keyworker, session, aged(0), aged(1), aged(1))
    book(keyworker, session, aged(4), aged(6))
    sign_in(service_admin)
    html = client.get(
        reverse("sessions_booking:setup_calendar"), {"week": f"{SESSION_DAY:%Y-%m-%d}"}
    ).content.decode()
    assert "5 of 6 crèche places" in html
    assert "the crèche has room for 1 child aged 3 or over, not a baby or a child under 2" in html
