"""The service admins' groups calendar at /staff/groups/: week and month views showing fill
and crèche use at a glance, in words as well as bars."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.permissions import Role
from sessions_booking.models import Booking, BookingStatus, GroupSession, Programme
from tests.support.factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CALENDAR = reverse("sessions_booking:setup_calendar")


@pytest.fixture
def mothers_group():
    return Programme.objects.create(name="Mothers in recovery", description="For mothers.")


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def make_session(programme, venue, on: date, at=time(18, 0), *, capacity=12, creche=4, **extra):
    starts_at = datetime.combine(on, at, tzinfo=LONDON)
    return GroupSession.objects.create(
        programme=programme, venue=venue, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2), capacity=capacity, creche_places=creche,
        booking_cutoff=starts_at - timedelta(hours=2), **extra,
    )  # fmt: skip


def book(session, referral, *, by, status=BookingStatus.CONFIRMED, children=0):
    return Booking.objects.create(
        session=session, referral=referral, status=status, children_in_creche=children,
        booked_by=by,
    )  # fmt: skip


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_week_view_shows_fill_in_words_and_as_bars(
    admin_client, mothers_group, venue, service_admin, team
):
    monday = next_monday()
    session = make_session(mothers_group, venue, monday + timedelta(days=2))
    for children in (1, 1, 1, 0, 0, 0, 0, 0, 0):
        book(session, ReferralFactory(team=team), by=service_admin, children=children)
    for _ in range(2):
        book(session, ReferralFactory(team=team), by=service_admin,
             status=BookingStatus.WAITLISTED)  # fmt: skip
    book(session, ReferralFactory(team=team), by=service_admin, status=BookingStatus.CANCELLED)

    response = admin_client.get(f"{CALENDAR}?week={monday + timedelta(days=4):%Y-%m-%d}")
    assert response.status_code == 200
    text = text_of(response)
    assert "9 of 12 places, 3 of 4 crèche places, 2 waiting" in text
    assert "18:00–20:00 Mothers in recovery" in text
    assert "Rose House" in text
    assert "Women only" in text
    html = response.content.decode()
    assert '<meter min="0" max="12" value="9">' in html
    assert '<meter min="0" max="4" value="3">' in html
    assert reverse("sessions_booking:setup_session_detail", args=[session.pk]) in html
    # Seven days, Monday first, each a heading.
    assert text.count('<h2 class="h5 calendar-day-title">') == 7
    assert f"{monday:%A} {monday.day} {monday:%B}" in text
    assert html.count("<h1") == 1


def test_full_sessions_and_sessions_without_a_creche_say_so(
    admin_client, mothers_group, venue, service_admin, team
):
    monday = next_monday()
    full = make_session(mothers_group, venue, monday, capacity=2, creche=1)
    book(full, ReferralFactory(team=team), by=service_admin, children=1)
    book(full, ReferralFactory(team=team), by=service_admin)
    make_session(mothers_group, venue, monday + timedelta(days=1), creche=0)
    text = text_of(admin_client.get(f"{CALENDAR}?week={monday:%Y-%m-%d}"))
    assert "2 of 2 places (full), 1 of 1 crèche places (crèche full)" in text
    assert "0 of 12 places, no crèche" in text


def test_sessions_open_to_everyone_carry_a_warning(admin_client, open_programme, venue):
    make_session(open_programme, venue, next_monday())
    text = text_of(admin_client.get(f"{CALENDAR}?week={next_monday():%Y-%m-%d}"))
    assert "Open to everyone (not women-only)" in text
    assert "Women only" not in text


def test_cancelled_sessions_are_struck_through_and_say_cancelled(
    admin_client, mothers_group, venue
):
    make_session(mothers_group, venue, next_monday(), cancelled_at=timezone.now())
    text = text_of(admin_client.get(f"{CALENDAR}?week={next_monday():%Y-%m-%d}"))
    assert "<s>18:00–20:00 Mothers in recovery</s>" in text
    assert "Cancelled" in text
    assert "of 12 places" not in text


def test_the_week_runs_monday_to_sunday_with_links_to_the_weeks_around_it(
    admin_client, mothers_group, venue
):
    monday = next_monday()
    make_session(mothers_group, venue, monday - timedelta(days=1), at=time(10, 0))  # Sunday before
    make_session(mothers_group, venue, monday + timedelta(days=6), at=time(11, 0))  # Sunday in
    make_session(mothers_group, venue, monday + timedelta(days=7), at=time(12, 0))  # Monday after
    response = admin_client.get(f"{CALENDAR}?week={monday + timedelta(days=3):%Y-%m-%d}")
    text = text_of(response)
    assert "11:00–13:00" in text
    assert "10:00–12:00" not in text
    assert "12:00–14:00" not in text
    assert f'href="?week={monday - timedelta(days=7):%Y-%m-%d}"' in text
    assert f'href="?week={monday + timedelta(days=7):%Y-%m-%d}"' in text
    assert f'href="?view=month&amp;month={monday:%Y-%m}"' in text


def test_sessions_are_placed_on_their_local_day(admin_client, mothers_group, venue):
    """A session at 00:30 on a summer Monday is 23:30 on Sunday in UTC; it belongs to Monday."""
    make_session(mothers_group, venue, date(2027, 6, 7), at=time(0, 30))
    response = admin_client.get(f"{CALENDAR}?week=2027-06-06")  # the week before
    assert "00:30" not in text_of(response)
    response = admin_client.get(f"{CALENDAR}?week=2027-06-07")
    days = response.context["days"]
    assert [len(day["sessions"]) for day in days] == [1, 0, 0, 0, 0, 0, 0]


def test_the_default_is_this_week_and_an_unreadable_week_falls_back_to_it(admin_client):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for url in (CALENDAR, f"{CALENDAR}?week=not-a-date"):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert response.context["days"][0]["day"] == monday
    assert "That is not a date we can read" in text_of(admin_client.get(f"{CALENDAR}?week=x"))


def test_the_month_view_lays_sessions_out_by_day(admin_client, mothers_group, venue):
    make_session(mothers_group, venue, date(2027, 2, 1), at=time(9, 0))
    make_session(mothers_group, venue, date(2027, 2, 28), at=time(14, 0))
    make_session(mothers_group, venue, date(2027, 3, 1), at=time(16, 0))  # next month
    response = admin_client.get(f"{CALENDAR}?view=month&month=2027-02")
    assert response.status_code == 200
    text = text_of(response)
    assert "February 2027" in text
    assert "09:00–11:00 Mothers in recovery" in text
    assert "14:00–16:00 Mothers in recovery" in text
    assert "16:00–18:00" not in text
    assert '<th scope="col">Monday</th>' in text
    assert "0 of 12 places, 0 of 4 crèche places" in text
    assert 'href="?view=month&amp;month=2027-01"' in text
    assert 'href="?view=month&amp;month=2027-03"' in text
    # February 2027 starts on a Monday and fills exactly four weeks.
    assert len(response.context["weeks"]) == 4


@pytest.mark.parametrize("month", ["2027-13", "0001-01", "9999-12", "February"])
def test_an_unreadable_month_falls_back_to_this_month(admin_client, month):
    response = admin_client.get(f"{CALENDAR}?view=month&month={month}")
    assert response.status_code == 200
    assert response.context["heading"] == timezone.localdate().strftime("%B %Y")


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "2027-02-30"])
def test_weeks_at_the_ends_of_time_fall_back_to_this_week(admin_client, week):
    response = admin_client.get(f"{CALENDAR}?week={week}")
    assert response.status_code == 200
    assert timezone.localdate() in [day["day"] for day in response.context["days"]]


@pytest.mark.parametrize("view", ["week", "month"])
def test_the_calendar_takes_the_same_queries_for_5_and_100_bookings(
    admin_client, mothers_group, open_programme, venue, service_admin, team, view
):
    monday = date(2027, 2, 1)  # the Monday that starts a month, so both views show all five
    url = (
        f"{CALENDAR}?week={monday:%Y-%m-%d}"
        if view == "week"
        else f"{CALENDAR}?view=month&month={monday:%Y-%m}"
    )
    sessions = [
        make_session(mothers_group if n % 2 else open_programme, venue, monday + timedelta(days=n),
                     capacity=30, creche=30)
        for n in range(5)
    ]  # fmt: skip
    facilitator = UserFactory(team=team, roles={Role.KEYWORKER})
    GroupSession.objects.update(facilitator=facilitator)
    referrals = ReferralFactory.create_batch(20, team=team)

    def add_bookings(total):
        for n in range(total):
            session = sessions[n % 5]
            referral = referrals[n // 5]
            status = BookingStatus.WAITLISTED if n % 7 == 0 else BookingStatus.CONFIRMED
            book(session, referral, by=service_admin, status=status, children=n % 3)

    add_bookings(5)
    admin_client.get(url)  # warm up anything cached per process
    with CaptureQueriesContext(connection) as few:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert "Mothers in recovery" in text_of(response)

    Booking.objects.all().delete()
    add_bookings(100)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert Booking.objects.count() == 100
    assert len(many.captured_queries) == len(few.captured_queries)
    session_queries = [
        q for q in many.captured_queries if "sessions_booking_groupsession" in q["sql"]
    ]
    assert len(session_queries) == 1
