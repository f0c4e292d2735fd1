"""One session at a time: the rules a new session and a change to one must keep (booking
cut-off, past times, crèche places, places already booked)."""

from datetime import timedelta

import pytest

from core.permissions import Role
from sessions_booking.models import (
    BookingStatus,
    GroupSession,
)
from sessions_booking.services import scheduling
from tests.support.factories import UserFactory
from tests.support.group_sessions import (
    BEFORE,
    book,
    london,
    refusal,
    series_args,
    session_args,
)

pytestmark = pytest.mark.django_db


# --- One session ------------------------------------------------------------------------------


def test_a_session_gets_its_booking_cutoff_hours_before_it_starts(programme, venue, facilitator):
    session = scheduling.create_session(
        **session_args(programme, venue, facilitator, booking_cutoff_hours=24), now=BEFORE
    )
    assert session.booking_cutoff == london(2026, 12, 6, 18, 0)
    assert session.series is None
    assert session.facilitator == facilitator


def test_a_session_starting_in_the_past_is_refused(programme, venue):
    errors = refusal(
        lambda: scheduling.create_session(
            **session_args(programme, venue, starts_at=london(2026, 9, 30, 18, 0)), now=BEFORE
        )
    )
    assert "is in the past" in errors["starts_at"][0]
    assert not GroupSession.objects.exists()


def test_a_session_whose_booking_would_already_have_closed_is_refused(programme, venue):
    args = session_args(programme, venue, starts_at=BEFORE + timedelta(hours=3))
    args["booking_cutoff_hours"] = 4
    errors = refusal(lambda: scheduling.create_session(**args, now=BEFORE))
    assert "Booking would already have closed" in errors["booking_cutoff_hours"][0]


def test_a_session_must_end_after_it_starts(programme, venue):
    start = london(2026, 12, 7, 18, 0)
    errors = refusal(
        lambda: scheduling.create_session(
            **session_args(programme, venue, starts_at=start, ends_at=start), now=BEFORE
        )
    )
    assert errors["ends_at"] == ["The end time must be after the start time."]


def test_creche_places_at_a_venue_without_a_creche_are_refused(programme, venue_without_creche):
    errors = refusal(
        lambda: scheduling.create_session(
            **session_args(programme, venue_without_creche), now=BEFORE
        )
    )
    assert "Library room has no crèche on site" in errors["creche_places"][0]
    # With no crèche places, the same venue is fine.
    scheduling.create_session(
        **{**session_args(programme, venue_without_creche), "creche_places": 0}, now=BEFORE
    )


@pytest.mark.parametrize("retired", ["programme", "venue", "facilitator"])
def test_programmes_venues_and_facilitators_out_of_use_are_refused(
    programme, venue, facilitator, retired
):
    thing = {"programme": programme, "venue": venue, "facilitator": facilitator}[retired]
    thing.is_active = False
    thing.save()
    errors = refusal(
        lambda: scheduling.create_session(**session_args(programme, venue, facilitator), now=BEFORE)
    )
    assert list(errors) == [retired]
    errors = refusal(
        lambda: scheduling.create_weekly_series(
            **series_args(programme, venue, facilitator), now=BEFORE
        )
    )
    assert list(errors) == [retired]


def test_every_problem_is_reported_at_once(programme, venue_without_creche):
    venue_without_creche.is_active = False
    venue_without_creche.save()
    start = london(2026, 9, 1, 18, 0)
    errors = refusal(
        lambda: scheduling.create_session(
            **session_args(programme, venue_without_creche, starts_at=start, ends_at=start),
            now=BEFORE,
        )
    )
    assert set(errors) == {"venue", "starts_at", "ends_at", "creche_places"}


# --- Changing sessions --------------------------------------------------------------------------


def update_args(session, **overrides):
    return {
        "session": session,
        "venue": session.venue,
        "facilitator": session.facilitator,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "creche_places": session.creche_places,
        "booking_cutoff_hours": 2,
        **overrides,
    }


def test_places_cannot_go_below_the_women_already_booked(planned, service_admin, team):
    for _ in range(3):
        book(planned, by=service_admin, team=team, children=1)
    book(planned, by=service_admin, team=team, status=BookingStatus.WAITLISTED)
    book(planned, by=service_admin, team=team, status=BookingStatus.CANCELLED, children=2)
    errors = refusal(
        lambda: scheduling.update_session(**update_args(planned, capacity=2), now=BEFORE)
    )
    assert errors["capacity"] == [
        "3 women are already booked in, so places cannot be fewer than 3."
    ]
    errors = refusal(
        lambda: scheduling.update_session(**update_args(planned, creche_places=2), now=BEFORE)
    )
    assert "3 children already have crèche places" in errors["creche_places"][0]
    planned.refresh_from_db()
    assert (planned.capacity, planned.creche_places) == (12, 4)
    # Exactly the places taken is fine (waitlisted and cancelled bookings hold none).
    scheduling.update_session(**update_args(planned, capacity=3, creche_places=3), now=BEFORE)
    planned.refresh_from_db()
    assert (planned.capacity, planned.creche_places) == (3, 3)


def test_more_places_move_the_waiting_list_up(planned, service_admin, team):
    scheduling.update_session(**update_args(planned, capacity=1), now=BEFORE)
    book(planned, by=service_admin, team=team)
    first = book(planned, by=service_admin, team=team, status=BookingStatus.WAITLISTED)
    second = book(planned, by=service_admin, team=team, status=BookingStatus.WAITLISTED)
    scheduling.update_session(**update_args(planned, capacity=2), now=BEFORE)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


def test_moving_a_session_recomputes_its_booking_cutoff(planned, venue_without_creche):
    new_start = london(2026, 12, 8, 10, 0)
    scheduling.update_session(
        **update_args(
            planned, venue=venue_without_creche, creche_places=0, starts_at=new_start,
            ends_at=new_start + timedelta(hours=1), booking_cutoff_hours=48,
        ),
        now=BEFORE,
    )  # fmt: skip
    planned.refresh_from_db()
    assert planned.venue == venue_without_creche
    assert planned.booking_cutoff == london(2026, 12, 6, 10, 0)


def test_moving_a_session_into_the_past_or_past_its_cutoff_is_refused(planned):
    errors = refusal(
        lambda: scheduling.update_session(
            **update_args(
                planned, starts_at=london(2026, 9, 1, 18, 0), ends_at=london(2026, 9, 1, 20, 0)
            ),
            now=BEFORE,
        )
    )
    assert "is in the past" in errors["starts_at"][0]
    # Three hours before: moving it an hour earlier would close booking already.
    errors = refusal(
        lambda: scheduling.update_session(
            **update_args(planned, starts_at=planned.starts_at - timedelta(hours=1)),
            now=planned.starts_at - timedelta(hours=3),
        )
    )
    assert "Booking would already have closed" in errors["booking_cutoff_hours"][0]


def test_a_session_whose_booking_has_closed_can_still_get_a_new_facilitator(planned, team):
    colleague = UserFactory(team=team, roles={Role.KEYWORKER})
    scheduling.update_session(
        **update_args(planned, facilitator=colleague), now=planned.starts_at - timedelta(hours=1)
    )
    planned.refresh_from_db()
    assert planned.facilitator == colleague


def test_sessions_that_started_or_were_cancelled_cannot_be_changed(planned):
    errors = refusal(
        lambda: scheduling.update_session(**update_args(planned), now=planned.starts_at)
    )
    assert errors["__all__"] == [
        "This session has already started, so it can no longer be changed."
    ]
    planned.cancelled_at = BEFORE
    planned.save()
    errors = refusal(lambda: scheduling.update_session(**update_args(planned), now=BEFORE))
    assert "was cancelled" in errors["__all__"][0]
