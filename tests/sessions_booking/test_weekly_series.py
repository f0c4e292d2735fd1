"""Weekly series: dates skipped, wall-clock times across the clock changes, and changes
to a series' sessions still to come."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from core.permissions import Role
from sessions_booking.models import (
    GroupSession,
    SessionSeries,
)
from sessions_booking.services import scheduling
from tests.support.factories import UserFactory
from tests.support.group_sessions import (
    BEFORE,
    UTC,
    book,
    london,
    refusal,
    series_args,
)

pytestmark = pytest.mark.django_db


# --- Weekly series ----------------------------------------------------------------------------


def test_a_series_skips_excluded_dates_and_keeps_the_wall_clock_time_across_the_clock_change(
    programme, venue
):
    """Mondays at 18:00 from 12 October 2026 for 8 weeks, skipping 2 November: British
    Summer Time ends on Sunday 25 October, so the UTC time moves by an hour and the local
    time does not."""
    series = scheduling.create_weekly_series(
        **series_args(programme, venue, skip_dates=[date(2026, 11, 2)]), now=BEFORE
    )
    sessions = list(series.sessions.order_by("starts_at"))
    local_days = [timezone.localtime(s.starts_at).date() for s in sessions]
    assert local_days == [
        date(2026, 10, 12), date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 9),
        date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30),
    ]  # fmt: skip
    assert {day.weekday() for day in local_days} == {0}
    assert {timezone.localtime(s.starts_at).time() for s in sessions} == {time(18, 0)}
    assert {timezone.localtime(s.ends_at).time() for s in sessions} == {time(20, 0)}
    utc_hours = [s.starts_at.astimezone(UTC).hour for s in sessions]
    assert utc_hours == [17, 17, 18, 18, 18, 18, 18]
    assert all(s.booking_cutoff == s.starts_at - timedelta(hours=2) for s in sessions)
    assert {(s.capacity, s.creche_places, s.venue_id) for s in sessions} == {(12, 4, venue.pk)}
    series.refresh_from_db()
    assert series.weeks == 8
    assert series.skip_dates == [date(2026, 11, 2)]


def test_a_series_over_easter_skips_the_bank_holiday_when_the_clocks_go_forward(programme, venue):
    """Mondays at 10:30 from 8 March 2027 for 8 weeks, skipping Easter Monday (29 March,
    the day after British Summer Time begins)."""
    series = scheduling.create_weekly_series(
        **series_args(
            programme, venue, first_date=date(2027, 3, 8), start_time=time(10, 30),
            skip_dates=[date(2027, 3, 29)],
        ),
        now=BEFORE,
    )  # fmt: skip
    sessions = list(series.sessions.order_by("starts_at"))
    assert len(sessions) == 7
    assert date(2027, 3, 29) not in [timezone.localtime(s.starts_at).date() for s in sessions]
    assert timezone.localtime(sessions[-1].starts_at) == london(2027, 4, 26, 10, 30)
    assert [s.starts_at.astimezone(UTC).hour for s in sessions] == [10, 10, 10, 9, 9, 9, 9]


def test_weekly_dates_cover_the_weeks_asked_for_without_making_up_skipped_ones():
    days = scheduling.weekly_dates(
        first_date=date(2026, 12, 7), weeks=4, skip_dates=[date(2026, 12, 28)]
    )
    assert days == [date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21)]


def test_a_skip_date_that_is_not_one_of_the_series_dates_is_refused(programme, venue):
    errors = refusal(
        lambda: scheduling.create_weekly_series(
            **series_args(programme, venue, skip_dates=[date(2026, 11, 3)]), now=BEFORE
        )
    )
    assert "Tue 3 Nov 2026" in errors["skip_dates"][0]
    assert "Mondays from Mon 12 Oct 2026 to Mon 30 Nov 2026" in errors["skip_dates"][0]
    assert not SessionSeries.objects.exists()


def test_a_series_with_every_date_skipped_is_refused(programme, venue):
    errors = refusal(
        lambda: scheduling.create_weekly_series(
            **series_args(
                programme, venue, weeks=2, skip_dates=[date(2026, 10, 12), date(2026, 10, 19)]
            ),
            now=BEFORE,
        )
    )
    assert "Every date would be skipped" in errors["skip_dates"][0]


def test_a_series_starting_in_the_past_or_after_booking_closed_is_refused(programme, venue):
    errors = refusal(
        lambda: scheduling.create_weekly_series(
            **series_args(programme, venue, first_date=date(2026, 9, 28)), now=BEFORE
        )
    )
    assert "would be in the past" in errors["first_date"][0]
    errors = refusal(
        lambda: scheduling.create_weekly_series(
            **series_args(programme, venue, first_date=date(2026, 10, 1), start_time=time(10, 0)),
            now=BEFORE,
        )
    )
    assert "would already have closed" in errors["booking_cutoff_hours"][0]
    assert not GroupSession.objects.exists()


def test_a_series_needs_weeks_a_length_and_a_crèche_for_crèche_places(
    programme, venue_without_creche
):
    errors = refusal(
        lambda: scheduling.create_weekly_series(
            **series_args(programme, venue_without_creche, weeks=0, duration_minutes=0),
            now=BEFORE,
        )
    )
    assert set(errors) == {"weeks", "creche_places"}
    errors = refusal(
        lambda: scheduling.create_weekly_series(
            **series_args(programme, venue_without_creche, duration_minutes=0), now=BEFORE
        )
    )
    assert set(errors) == {"duration_minutes", "creche_places"}


# --- Changing a series' future sessions ---------------------------------------------------------


def series_update_args(series, **overrides):
    return {
        "series": series,
        "capacity": series.capacity,
        "creche_places": series.creche_places,
        "facilitator": series.facilitator,
        "venue": series.venue,
        "start_time": series.start_time,
        "duration_minutes": series.duration_minutes,
        **overrides,
    }


def test_changing_a_series_changes_only_sessions_still_to_come(programme, venue, team):
    series = scheduling.create_weekly_series(**series_args(programme, venue), now=BEFORE)
    sessions = list(series.sessions.order_by("starts_at"))
    before = {s.pk: (s.starts_at, s.ends_at, s.capacity, s.facilitator_id) for s in sessions}
    cancelled = sessions[5]
    cancelled.cancelled_at = BEFORE
    cancelled.save()
    colleague = UserFactory(team=team, roles={Role.KEYWORKER})
    # "Now" is during the third session (26 October, in GMT): it is under way, so it stays.
    now = london(2026, 10, 26, 19, 0)

    changed = scheduling.update_series_future_sessions(
        **series_update_args(
            series, capacity=8, facilitator=colleague, start_time=time(10, 0),
            duration_minutes=90,
        ),
        now=now,
    )  # fmt: skip

    assert changed == 4  # 2, 9, 16 and 30 November; 23 November is cancelled
    for session in GroupSession.objects.filter(series=series).order_by("starts_at"):
        local_start = timezone.localtime(session.starts_at)
        if session.starts_at <= now or session.pk == cancelled.pk:
            assert before[session.pk] == (
                session.starts_at, session.ends_at, session.capacity, session.facilitator_id
            )  # fmt: skip
        else:
            assert local_start.time() == time(10, 0)
            assert session.ends_at - session.starts_at == timedelta(minutes=90)
            assert session.booking_cutoff == session.starts_at - timedelta(hours=2)
            assert (session.capacity, session.facilitator) == (8, colleague)
            assert local_start.date().weekday() == 0
    series.refresh_from_db()
    assert (series.capacity, series.start_time, series.first_date) == (
        8, time(10, 0), date(2026, 10, 12),
    )  # fmt: skip


def test_a_series_cannot_drop_below_any_future_sessions_bookings(
    programme, venue, service_admin, team
):
    series = scheduling.create_weekly_series(**series_args(programme, venue), now=BEFORE)
    third = series.sessions.order_by("starts_at")[2]
    for _ in range(5):
        book(third, by=service_admin, team=team, children=1)

    errors = refusal(
        lambda: scheduling.update_series_future_sessions(
            **series_update_args(series, capacity=4, creche_places=2), now=BEFORE
        )
    )
    assert errors["capacity"] == [
        "5 women are already booked in on Mon 26 Oct 2026, so places cannot be fewer than 5."
    ]
    assert (
        "5 children already have crèche places on Mon 26 Oct 2026" in (errors["creche_places"][0])
    )
    assert set(series.sessions.values_list("capacity", flat=True)) == {12}
    # Once that session is over, the rest of the series can shrink.
    after_third = third.ends_at + timedelta(minutes=1)
    scheduling.update_series_future_sessions(
        **series_update_args(series, capacity=4, creche_places=2), now=after_third
    )
    third.refresh_from_db()
    assert third.capacity == 12
    assert set(
        series.sessions.filter(starts_at__gt=after_third).values_list("capacity", flat=True)
    ) == {4}


def test_a_series_cannot_move_to_a_venue_without_a_creche_while_offering_creche_places(
    programme, venue, venue_without_creche
):
    series = scheduling.create_weekly_series(**series_args(programme, venue), now=BEFORE)
    errors = refusal(
        lambda: scheduling.update_series_future_sessions(
            **series_update_args(series, venue=venue_without_creche), now=BEFORE
        )
    )
    assert "no crèche on site" in errors["creche_places"][0]
    scheduling.update_series_future_sessions(
        **series_update_args(series, venue=venue_without_creche, creche_places=0), now=BEFORE
    )
    assert set(series.sessions.values_list("venue", flat=True)) == {venue_without_creche.pk}


def test_a_series_with_nothing_left_to_change_says_so(programme, venue):
    series = scheduling.create_weekly_series(**series_args(programme, venue, weeks=1), now=BEFORE)
    errors = refusal(
        lambda: scheduling.update_series_future_sessions(
            **series_update_args(series), now=london(2026, 12, 1, 9, 0)
        )
    )
    assert "has started or been cancelled" in errors["__all__"][0]
