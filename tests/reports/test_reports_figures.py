"""Dashboard figures against hand-worked fixtures: waiting-time median and 90th
percentile, contact within 2 working days (weekends and the clock change), occupancy,
crèche use, attendance, waitlists, unmet needs, caseloads and small-number suppression."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.permissions import Role
from referrals.choices import ContactOutcome, Housing, Priority, Source, Status
from referrals.models import ContactAttempt, Referral
from reports.selectors import referral_figures, session_figures
from reports.selectors.scope import Scope
from reports.tables import count, days, share
from sessions_booking.models import Booking, BookingStatus
from tests.support.factories import (
    GroupSessionFactory,
    ProgrammeFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: date, hour=10, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def referred(team, when, **fields) -> Referral:
    referral = ReferralFactory(team=team, **fields)
    Referral.objects.filter(pk=referral.pk).update(created_at=when)
    referral.created_at = when
    return referral


def attempt(referral, by, when, outcome=ContactOutcome.SPOKE):
    return ContactAttempt.objects.create(
        referral=referral, made_by=by, made_at=when, channel="sms", outcome=outcome
    )


def texts(table, label=None):
    """Cell texts of one row (by label), or of every row."""
    rows = {row_label: [f.text for f in figures] for row_label, figures in table.rows}
    return rows[label] if label else rows


@pytest.fixture
def worker(team):
    return UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Kim Keyworker")


def team_scope(team, start, end, **extra):
    return Scope(start, end, team, extra.get("programme_id"), suppress=False)


def service_scope(start, end):
    return Scope(start, end, None, None, suppress=True)


MONDAY = date(2026, 9, 7)


# --- suppression ---------------------------------------------------------------------------


def test_counts_from_one_to_four_are_hidden_only_when_suppressed():
    assert [count(n, suppress=True).text for n in (0, 1, 4, 5, 1234)] == [
        "0", "<5", "<5", "5", "1,234",
    ]  # fmt: skip
    assert count(3, suppress=False).text == "3"
    assert count(3, suppress=True).value is None


def test_rates_from_small_numbers_are_hidden_both_ways():
    assert share(2, 4, suppress=True).text == "n<5"  # too few women in all
    assert share(3, 100, suppress=True).text == "n<5"  # 3 of 100 is a small count
    assert share(97, 100, suppress=True).text == "97%"
    assert share(0, 100, suppress=True).text == "0%"
    assert share(2, 4, suppress=False).text == "50%"
    assert share(0, 0, suppress=False).text == "—"
    assert days(2.25, 4, suppress=True).text == "n<5"
    assert days(2.25, 5, suppress=True).text == "2.2"
    assert days(None, 0, suppress=False).text == "—"


# --- waiting times -------------------------------------------------------------------------


def test_waiting_time_median_percentile_and_share_seen_within_three_weeks(team, worker):
    # Five women spoken to after 1, 2, 3, 4 and 10 days; a sixth never reached.
    waits = [1, 2, 3, 4, 10]
    for wait in waits:
        woman = referred(team, at(MONDAY))
        attempt(woman, worker, at(MONDAY) + timedelta(hours=2), ContactOutcome.NO_ANSWER)
        attempt(woman, worker, at(MONDAY) + timedelta(days=wait))
    referred(team, at(MONDAY))
    # Another team's woman, waiting a year, is not in this team's figures.
    stranger = referred(TeamFactory(name="South"), at(MONDAY))
    attempt(stranger, worker, at(MONDAY) + timedelta(days=365))

    summary, _contacted, _trend = referral_figures.waiting_times(
        team_scope(team, MONDAY, MONDAY + timedelta(days=6))
    )

    # percentile_cont: the 90th percentile of 1, 2, 3, 4, 10 is 4 + 0.6 * (10 - 4) = 7.6.
    assert texts(summary, "first contact") == ["5", "3.0", "7.6", "83%"]
    assert summary.rows[0][1][1].value == 3.0


def test_waiting_time_to_first_attended_group_session(team, worker):
    programme, venue = ProgrammeFactory(), VenueFactory()
    first, second, third = (referred(team, at(MONDAY)) for _ in range(3))
    for woman, days_later, status in (
        (first, 2, BookingStatus.DID_NOT_ATTEND),  # not attended: does not count
        (first, 7, BookingStatus.ATTENDED),
        (first, 14, BookingStatus.ATTENDED),  # her second session: not the first
        (second, 30, BookingStatus.LATE),  # late still counts as attended
        (third, -3, BookingStatus.ATTENDED),  # before she was referred: ignored
    ):
        session = GroupSessionFactory(
            programme=programme, venue=venue, starts_at=at(MONDAY) + timedelta(days=days_later)
        )
        Booking.objects.create(session=session, referral=woman, status=status, booked_by=worker)

    summary, _c, _t = referral_figures.waiting_times(team_scope(team, MONDAY, MONDAY))

    # Seen: 7 and 30 days; median 18.5, 90th percentile 7 + 0.9 * 23 = 27.7; within 3
    # weeks 1 of 3 (all three referred long enough ago to know).
    assert texts(summary, "first group session") == ["2", "18.5", "27.7", "33%"]


def test_women_referred_less_than_three_weeks_ago_and_not_yet_seen_are_not_counted_yet(
    team, worker
):
    today = date.today()
    recent = referred(team, at(today - timedelta(days=3)))
    referred(team, at(today - timedelta(days=2)))  # not seen, still inside 3 weeks
    attempt(recent, worker, at(today - timedelta(days=1)))

    summary, _c, _t = referral_figures.waiting_times(
        team_scope(team, today - timedelta(days=7), today)
    )

    assert texts(summary, "first contact")[-1] == "100%"  # 1 of 1 known, not 1 of 2


def test_contacted_within_two_working_days_counts_weekends_and_the_clock_change(team, worker):
    thursday, saturday = date(2026, 9, 10), date(2026, 9, 12)
    cases = [
        # (received, first attempt or None, in time?)
        (at(thursday, 15), at(date(2026, 9, 14), 23, 0), True),  # Thursday -> by Monday night
        (at(thursday, 16), at(date(2026, 9, 15), 9, 0), False),  # ... not Tuesday
        (at(saturday, 11), at(date(2026, 9, 15), 12, 0), True),  # weekend -> by Tuesday
        (at(MONDAY, 9), at(date(2026, 9, 10), 0, 30), False),  # Monday -> by Wednesday night
        (at(date(2026, 9, 9), 9), None, False),  # never tried, deadline long gone
        # Friday before the clocks go back (25 October): by Tuesday night, GMT.
        (at(date(2026, 10, 23), 12), at(date(2026, 10, 27), 23, 30), True),
    ]
    for received, first_attempt, _in_time in cases:
        woman = referred(team, received)
        if first_attempt:
            attempt(woman, worker, first_attempt, ContactOutcome.NO_ANSWER)

    _s, contacted, _t = referral_figures.waiting_times(team_scope(team, MONDAY, date(2026, 10, 31)))

    in_time = sum(1 for *_x, ok in cases if ok)
    assert in_time == 3
    assert texts(contacted, "All in range") == ["6", "3", "50%"]


def test_the_trend_has_one_row_per_week_for_the_last_twelve_weeks(team, worker):
    start = MONDAY - timedelta(weeks=15)
    woman = referred(team, at(MONDAY + timedelta(days=2)))
    attempt(woman, worker, woman.created_at + timedelta(days=4))

    _s, _c, trend = referral_figures.waiting_times(team_scope(team, start, MONDAY + timedelta(6)))

    labels = [label for label, _figures in trend.rows]
    assert len(labels) == 12
    assert labels[-1] == "w/c 7 Sep 2026"
    assert texts(trend, "w/c 7 Sep 2026")[:3] == ["1", "4.0", "100%"]
    assert texts(trend, "w/c 31 Aug 2026")[:3] == ["0", "—", "—"]


# --- referrals per week --------------------------------------------------------------------


def test_referrals_per_week_by_source_use_local_weeks(team):
    sunday_night = at(date(2026, 9, 13), 23, 30)  # 22:30 UTC: still the week of 7 September
    referred(team, sunday_night)
    referred(team, at(MONDAY), source=Source.PROFESSIONAL, referrer_confirmed_consent=True)
    referred(team, at(date(2026, 9, 14), 0, 30))  # next week

    table = referral_figures.referrals_per_week(team_scope(team, MONDAY, date(2026, 9, 20)))

    assert texts(table) == {
        "w/c 7 Sep 2026": ["1", "1", "2", "50%"],
        "w/c 14 Sep 2026": ["1", "0", "1", "100%"],
    }


def test_service_wide_figures_hide_small_numbers(team, worker):
    for _ in range(3):
        referred(team, at(MONDAY))
    for _ in range(6):
        referred(TeamFactory(name="South"), at(MONDAY))

    exact = referral_figures.referrals_per_week(team_scope(team, MONDAY, MONDAY))
    hidden = referral_figures.referrals_by_team(service_scope(MONDAY, MONDAY))
    weekly = referral_figures.referrals_per_week(service_scope(MONDAY, MONDAY))

    assert texts(exact, "w/c 7 Sep 2026") == ["3", "0", "3", "100%"]
    assert texts(hidden, "North") == ["<5", "0", "<5", "n<5"]
    assert texts(hidden, "South") == ["6", "0", "6", "100%"]
    assert texts(weekly, "w/c 7 Sep 2026") == ["9", "0", "9", "100%"]


# --- group sessions --------------------------------------------------------------------------


def test_occupancy_creche_use_and_attendance_per_programme_and_venue(team, worker):
    programme, venue = ProgrammeFactory(name="Recovery"), VenueFactory(name="Elm House")
    sessions = [
        GroupSessionFactory(
            programme=programme, venue=venue, starts_at=at(MONDAY + timedelta(days=n)),
            capacity=10, creche_places=4,
        )
        for n in (0, 7)
    ]  # fmt: skip
    GroupSessionFactory(  # cancelled: not offered, not counted
        programme=programme, venue=venue, starts_at=at(MONDAY + timedelta(days=3)),
        capacity=10, cancelled_at=at(MONDAY),
    )  # fmt: skip
    statuses = [
        (BookingStatus.ATTENDED, 2), (BookingStatus.ATTENDED, 0), (BookingStatus.ATTENDED, 0),
        (BookingStatus.LATE, 0), (BookingStatus.DID_NOT_ATTEND, 0),
        (BookingStatus.CANCELLED_LATE, 0), (BookingStatus.CANCELLED, 1),
        (BookingStatus.WAITLISTED, 1),
    ]  # fmt: skip
    for n, (status, children) in enumerate(statuses):
        Booking.objects.create(
            session=sessions[n % 2], referral=referred(team, at(MONDAY)), status=status,
            children_in_creche=children, booked_by=worker,
        )  # fmt: skip

    scope = team_scope(team, MONDAY, MONDAY + timedelta(days=13))
    by_programme = session_figures.sessions_by_programme(scope)
    by_venue = session_figures.sessions_by_venue(scope)

    # 2 sessions, 20 places; 6 seats held (attended, late, did not attend, cancelled late);
    # 8 crèche places, 2 children; 6 marked: 4 attended (67%), 1 did not (17%).
    expected = ["2", "20", "6", "30%", "8", "2", "25%", "6", "67%", "17%"]
    assert texts(by_programme, "Recovery") == expected
    assert texts(by_venue, "Elm House") == expected


def test_waitlist_now_and_average_wait_to_promotion(team, worker):
    programme = ProgrammeFactory(name="Recovery")
    future = GroupSessionFactory(programme=programme)
    past = GroupSessionFactory(programme=programme, starts_at=at(MONDAY + timedelta(days=8)))
    for _ in range(2):
        Booking.objects.create(
            session=future, referral=referred(team, at(MONDAY)),
            status=BookingStatus.WAITLISTED, booked_by=worker,
        )  # fmt: skip
    for waited in (2, 4):
        booking = Booking.objects.create(
            session=past, referral=referred(team, at(MONDAY)),
            status=BookingStatus.ATTENDED, booked_by=worker,
        )  # fmt: skip
        Booking.objects.filter(pk=booking.pk).update(
            created_at=at(MONDAY), promoted_at=at(MONDAY) + timedelta(days=waited)
        )

    table = session_figures.waitlists(team_scope(team, MONDAY, MONDAY + timedelta(days=13)))

    assert texts(table, "Recovery") == ["2", "2", "3.0"]


# --- unmet needs and caseloads --------------------------------------------------------------


def test_unmet_needs_count_women_still_waiting_in_the_team(team):
    waiting = {"status": Status.NEW}
    referred(team, at(MONDAY), needs_childcare=True, **waiting)
    referred(team, at(MONDAY), needs_childcare=True, housing=Housing.NO_HOME,
             status=Status.CONTACTING)  # fmt: skip
    referred(team, at(MONDAY), needs_interpreter=True, preferred_language="pl", **waiting)
    referred(team, at(MONDAY), needs_interpreter=True, preferred_language="ur",
             wants_mental_health_support=True, status=Status.ASSESSMENT)  # fmt: skip
    referred(team, at(MONDAY), needs_childcare=True, status=Status.ACTIVE)  # in treatment
    referred(team, at(MONDAY), needs_childcare=True, status=Status.CLOSED,
             closed_reason="completed")  # fmt: skip
    referred(TeamFactory(name="South"), at(MONDAY), needs_childcare=True, **waiting)

    table = referral_figures.unmet_needs(team_scope(team, MONDAY, MONDAY))

    assert texts(table, "Childcare to attend") == ["2", "50%"]
    assert texts(table, "An interpreter") == ["2", "50%"]
    assert texts(table, "Interpreter: Polish") == ["1", "25%"]
    assert texts(table, "Interpreter: Urdu") == ["1", "25%"]
    assert texts(table, "Safe housing (unsafe or nowhere to stay)") == ["1", "25%"]
    assert texts(table, "Mental-health support") == ["1", "25%"]
    assert texts(table, "All women waiting") == ["4", "100%"]


def test_caseloads_per_keyworker_by_status_and_priority(team, worker):
    lead = UserFactory(team=team, roles={Role.TEAM_LEAD, Role.KEYWORKER}, full_name="Lee Lead")
    for status, priority in (
        (Status.CONTACTING, Priority.URGENT),
        (Status.ACTIVE, Priority.ROUTINE),
        (Status.ACTIVE, Priority.SAFEGUARDING),
    ):
        referred(team, at(MONDAY), assigned_to=worker, status=status, priority=priority)
    referred(team, at(MONDAY), assigned_to=worker, status=Status.CLOSED, closed_reason="declined")
    referred(team, at(MONDAY), assigned_to=lead, status=Status.ASSESSMENT)
    referred(team, at(MONDAY))  # unassigned: in the queue, not a caseload

    table = referral_figures.caseloads(team_scope(team, MONDAY, MONDAY))

    # Columns: new, contacting, assessment, active | safeguarding, urgent, routine | all.
    assert texts(table) == {
        "Kim Keyworker": ["0", "1", "0", "2", "1", "1", "1", "3"],
        # In two role groups, still counted once.
        "Lee Lead": ["0", "0", "1", "0", "0", "0", "1", "1"],
    }
