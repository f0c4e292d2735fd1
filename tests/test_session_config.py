"""Service admins set up venues, programmes, sessions and weekly series (scheduling rules,
forms and the staff pages under /staff/groups/)."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from referrals.choices import AuditAction
from referrals.models import AuditEvent
from sessions_booking import scheduling
from sessions_booking.forms import ProgrammeForm, VenueForm, parse_days
from sessions_booking.models import (
    Booking,
    BookingStatus,
    GroupSession,
    Programme,
    SessionSeries,
    Venue,
)
from tests.support.factories import ReferralFactory, TeamFactory, UserFactory
from tests.support.urls import url_names

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# --- Fixtures and helpers -----------------------------------------------------------------


@pytest.fixture
def team():
    return TeamFactory(name="North")


@pytest.fixture
def service_admin():
    return UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True)


@pytest.fixture
def facilitator(team):
    return UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Grace Okafor")


@pytest.fixture
def venue():
    return Venue.objects.create(
        name="Rose House", address="1 Rose Street, Birmingham B1 1AA", creche_on_site=True,
        women_only_building=True, step_free=True,
    )  # fmt: skip


@pytest.fixture
def venue_without_creche():
    return Venue.objects.create(name="Library room", address="2 High Street, B2 2BB")


@pytest.fixture
def programme():
    return Programme.objects.create(
        name="Women's recovery group", description="A weekly group for women.",
        default_capacity=10, default_creche_places=4,
    )  # fmt: skip


def session_args(programme, venue, facilitator=None, **overrides):
    starts_at = overrides.pop("starts_at", london(2026, 12, 7, 18, 0))
    return {
        "programme": programme,
        "venue": venue,
        "facilitator": facilitator,
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + timedelta(hours=2)),
        "capacity": 12,
        "creche_places": 4,
        "booking_cutoff_hours": 2,
        **overrides,
    }


def series_args(programme, venue, facilitator=None, **overrides):
    return {
        "programme": programme,
        "venue": venue,
        "facilitator": facilitator,
        "first_date": date(2026, 10, 12),
        "start_time": time(18, 0),
        "duration_minutes": 120,
        "weeks": 8,
        "skip_dates": [],
        "capacity": 12,
        "creche_places": 4,
        "booking_cutoff_hours": 2,
        **overrides,
    }


BEFORE = london(2026, 10, 1, 9, 0)  # "now" for sessions planned in October and later


def book(session, *, by, team, status=BookingStatus.CONFIRMED, children=0):
    # A name no page here shows otherwise (a random "Rose" would be found in "Rose House").
    referral = ReferralFactory(team=team, preferred_name=f"Bookedwoman{Booking.objects.count()}")
    return Booking.objects.create(
        session=session, referral=referral, status=status, children_in_creche=children,
        booked_by=by,
    )  # fmt: skip


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def input_value(response, name) -> str | None:
    match = re.search(
        rf'<(?:input|textarea)[^>]*name="{name}"[^>]*?(?:value="([^"]*)"[^>]*)?>([^<]*)',
        response.content.decode(),
    )
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def selected_value(response, name) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', response.content.decode(), re.S)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0)) if select else None
    return chosen.group(1) if chosen else None


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


# --- Changing sessions --------------------------------------------------------------------------


@pytest.fixture
def planned(programme, venue, facilitator):
    return scheduling.create_session(**session_args(programme, venue, facilitator), now=BEFORE)


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


# --- Lenient dates and forms -----------------------------------------------------------------


def test_dates_to_skip_are_read_leniently():
    text = "25/12/2026, 28 Dec 2026\n1st January 2027; 2027-01-04\nMonday, 11 January 2027\n\n"
    assert parse_days(text) == [
        date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1), date(2027, 1, 4),
        date(2027, 1, 11),
    ]  # fmt: skip
    # Without a year: the first such day on or after the series starts.
    assert parse_days("5 Jan", on_or_after=date(2026, 11, 30)) == [date(2027, 1, 5)]


def test_unreadable_dates_to_skip_are_named_in_the_message():
    with pytest.raises(ValidationError) as raised:
        parse_days("25/12/2026, 31/02/2027, next tuesday")
    message = raised.value.messages[0]
    assert "“31/02/2027”" in message
    assert "“next tuesday”" in message
    assert "25/12/2026" not in message.split(":")[1].split(".")[0]


PROGRAMME_DATA = {
    "name": "Open drop-in",
    "description": "Come along.",
    "women_only": "",
    "default_capacity": "15",
    "default_creche_places": "0",
    "reminder_offsets_hours": "48, 2",
}


def test_a_programme_is_open_to_everyone_only_with_the_confirmation_ticked():
    form = ProgrammeForm(data=PROGRAMME_DATA)
    assert not form.is_valid()
    assert "Tick the box to confirm" in form.errors["confirm_open_to_everyone"][0]
    form = ProgrammeForm(data={**PROGRAMME_DATA, "confirm_open_to_everyone": "on"})
    assert form.is_valid(), form.errors
    programme = form.save()
    assert not programme.women_only
    assert programme.reminder_offsets_hours == [48, 2]
    # Already open to everyone: editing something else does not ask again.
    form = ProgrammeForm(data={**PROGRAMME_DATA, "name": "Drop-in"}, instance=programme)
    assert form.is_valid(), form.errors


def test_a_new_programme_is_women_only_by_default():
    assert ProgrammeForm().fields["women_only"].initial is True
    form = ProgrammeForm(data={**PROGRAMME_DATA, "women_only": "on"})
    assert form.is_valid(), form.errors
    assert form.save().women_only


def test_reminder_hours_must_be_whole_numbers():
    form = ProgrammeForm(
        data={**PROGRAMME_DATA, "women_only": "on", "reminder_offsets_hours": "48, two"}
    )
    assert not form.is_valid()
    assert "These are not: two" in form.errors["reminder_offsets_hours"][0]


def test_a_venue_keeps_its_creche_while_sessions_to_come_offer_creche_places(
    planned, venue, time_machine
):
    time_machine.move_to(BEFORE)  # `planned` is on 7 December 2026: still to come
    data = {"name": venue.name, "address": venue.address, "is_active": "on"}
    form = VenueForm(data=data, instance=venue)
    assert not form.is_valid()
    assert "1 session still to come here offers crèche places" in (form.errors["creche_on_site"][0])
    planned.creche_places = 0
    planned.save()
    assert VenueForm(data=data, instance=venue).is_valid()


# --- Who may use the pages ----------------------------------------------------------------------


@pytest.fixture
def world(programme, venue, team, service_admin):
    series = scheduling.create_weekly_series(
        **series_args(programme, venue, first_date=timezone.localdate() + timedelta(days=7))
    )
    return {
        "series": series,
        "session": series.sessions.first(),
        "people": {
            "keyworker": UserFactory(team=team, roles={Role.KEYWORKER}),
            "team_lead": UserFactory(team=team, roles={Role.TEAM_LEAD}),
            "service_admin": service_admin,
        },
    }


def config_urls(world):
    """Every config_ URL in the URL configuration, so a new page cannot be left out."""
    pks = {
        "venue": world["session"].venue_id,
        "programme": world["session"].programme_id,
        "session": world["session"].pk,
        "series": world["series"].pk,
    }
    names = url_names("config_")
    assert len(names) == 15
    urls = []
    for name in names:
        if name == "config_message_edit":
            urls.append(reverse(name, args=["pl", "discreet"]))
            continue
        kind = next((kind for kind in pks if f"_{kind}_" in f"{name}_"), None)
        needs_pk = name.endswith(("_edit", "_detail", "_cancel"))
        urls.append(reverse(name, args=[pks[kind]] if needs_pk else []))
    return urls


@pytest.mark.parametrize("who", ["anonymous", "keyworker", "team_lead", "service_admin"])
def test_only_service_admins_see_the_group_pages(client, sign_in, world, who):
    if who != "anonymous":
        sign_in(world["people"][who])
    for url in config_urls(world):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
        elif who == "service_admin":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("who", ["keyworker", "team_lead"])
def test_others_cannot_change_or_cancel_anything_by_posting(client, sign_in, world, who):
    sign_in(world["people"][who])
    session = world["session"]
    assert client.post(reverse("config_session_cancel", args=[session.pk])).status_code == 404
    response = client.post(
        reverse("config_venue_create"), {"name": "Sneaky", "address": "Somewhere"}
    )
    assert response.status_code == 404
    session.refresh_from_db()
    assert not session.is_cancelled
    assert not Venue.objects.filter(name="Sneaky").exists()


def test_the_groups_link_is_in_the_staff_menu_for_service_admins_only(client, sign_in, world):
    sign_in(world["people"]["service_admin"])
    assert reverse("config_calendar") in client.get(reverse("staff_home")).content.decode()
    client.logout()
    sign_in(world["people"]["keyworker"])
    assert reverse("config_calendar") not in client.get(reverse("staff_home")).content.decode()


# --- The pages -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, sign_in, service_admin):
    sign_in(service_admin)
    return client


def next_week_day(days=7) -> date:
    return timezone.localdate() + timedelta(days=days)


def session_form_data(programme, venue, **overrides):
    return {
        "programme": str(programme.pk),
        "venue": str(venue.pk),
        "facilitator": "",
        "day": next_week_day().isoformat(),
        "start_time": "18:00",
        "end_time": "20:00",
        "capacity": "9",
        "creche_places": "3",
        "booking_cutoff_hours": "2",
        **overrides,
    }


def test_a_venue_is_added_and_edited_from_the_staff_pages(admin_client):
    response = admin_client.post(
        reverse("config_venue_create"),
        {"name": "Oak Centre", "address": "3 Oak Road", "creche_on_site": "on",
         "separate_entrance": "on", "safety_notes": "Side door.", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    oak = Venue.objects.get(name="Oak Centre")
    assert oak.creche_on_site
    assert oak.separate_entrance
    assert not oak.step_free
    listing = page_text(admin_client.get(reverse("config_venues")))
    assert "Oak Centre" in listing
    assert "Separate entrance" in listing
    response = admin_client.post(
        reverse("config_venue_edit", args=[oak.pk]),
        {"name": "Oak Centre", "address": "3 Oak Road", "step_free": "on", "is_active": "on"},
    )
    assert response.status_code == 302
    oak.refresh_from_db()
    assert oak.step_free
    assert not oak.creche_on_site


def test_a_venue_without_a_name_is_refused_keeping_what_was_typed(admin_client):
    response = admin_client.post(
        reverse("config_venue_create"), {"name": "", "address": "9 Elm Street B9"}
    )
    assert response.status_code == 400
    assert "There is a problem" in page_text(response)
    assert "Enter the venue&#x27;s name." in response.content.decode()
    assert "9 Elm Street B9" in response.content.decode()


def test_turning_women_only_off_without_confirming_is_refused_keeping_what_was_typed(
    admin_client, programme
):
    url = reverse("config_programme_edit", args=[programme.pk])
    data = {
        "name": "Women's recovery group (renamed)",
        "description": "Typed description.",
        "default_capacity": "11",
        "default_creche_places": "3",
        "reminder_offsets_hours": "24",
        "is_active": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "Tick the box to confirm this programme is open to everyone" in text
    assert "I confirm this programme is open to everyone, not women only" in text
    assert input_value(response, "name") == "Women&#x27;s recovery group (renamed)"
    assert input_value(response, "default_capacity") == "11"
    assert input_value(response, "reminder_offsets_hours") == "24"
    assert "Typed description." in response.content.decode()
    programme.refresh_from_db()
    assert programme.women_only
    assert programme.name == "Women's recovery group"

    response = admin_client.post(url, {**data, "confirm_open_to_everyone": "on"})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert not programme.women_only
    listing = page_text(admin_client.get(reverse("config_programmes")))
    assert "Open to everyone (not women-only)" in listing


def test_programme_facilitators_are_chosen_from_active_staff(admin_client, team):
    active = UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Active Person")
    UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Gone Person", is_active=False)
    page = admin_client.get(reverse("config_programme_create")).content.decode()
    assert "Active Person" in page
    assert "Gone Person" not in page
    response = admin_client.post(
        reverse("config_programme_create"),
        {**PROGRAMME_DATA, "women_only": "on", "facilitators": [str(active.pk)]},
    )
    assert response.status_code == 302
    assert list(Programme.objects.get(name="Open drop-in").facilitators.all()) == [active]


def test_programme_defaults_fill_in_the_new_session_and_series_forms(admin_client, programme):
    for name in ("config_session_create", "config_series_create"):
        response = admin_client.get(f"{reverse(name)}?programme={programme.pk}")
        assert selected_value(response, "programme") == str(programme.pk)
        assert input_value(response, "capacity") == "10"
        assert input_value(response, "creche_places") == "4"


def test_a_session_is_added_from_the_staff_pages(admin_client, programme, venue):
    response = admin_client.post(
        reverse("config_session_create"), session_form_data(programme, venue)
    )
    session = GroupSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("config_session_detail", args=[session.pk])
    assert timezone.localtime(session.starts_at) == london(*next_week_day().timetuple()[:3], 18)
    assert (session.capacity, session.creche_places) == (9, 3)


def test_blank_places_take_the_programme_defaults(admin_client, programme, venue):
    admin_client.post(
        reverse("config_session_create"),
        session_form_data(programme, venue, capacity="", creche_places=""),
    )
    session = GroupSession.objects.get()
    assert (session.capacity, session.creche_places) == (10, 4)


@pytest.mark.parametrize(
    ("overrides", "message", "kept"),
    [
        pytest.param(
            {"day": -1}, "is in the past", "day", id="past",
        ),
        pytest.param(
            {"day": 1, "booking_cutoff_hours": "168"},
            "Booking would already have closed", "booking_cutoff_hours", id="cutoff-passed",
        ),
        pytest.param(
            {"end_time": "17:00"}, "The end time must be after the start time.", "end_time",
            id="ends-before-start",
        ),
        pytest.param({"capacity": "0"}, "Enter 1 or more.", "capacity", id="no-places"),
        pytest.param({"day": "31/02/2027"}, "Enter a real date", "day", id="unreal-date"),
    ],
)  # fmt: skip
def test_a_refused_session_keeps_everything_typed(
    admin_client, programme, venue, overrides, message, kept
):
    if isinstance(overrides.get("day"), int):  # days from the test's today, not collection's
        overrides = {**overrides, "day": next_week_day(overrides["day"]).isoformat()}
    data = session_form_data(programme, venue, **overrides)
    response = admin_client.post(reverse("config_session_create"), data)
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert message in text
    for field in ("start_time", "end_time", "capacity", "creche_places", "booking_cutoff_hours"):
        assert input_value(response, field) == data[field], field
    assert input_value(response, kept) == data[kept]
    assert selected_value(response, "programme") == str(programme.pk)
    assert selected_value(response, "venue") == str(venue.pk)
    assert not GroupSession.objects.exists()


def test_creche_places_at_a_venue_without_a_creche_are_refused_keeping_what_was_typed(
    admin_client, programme, venue_without_creche
):
    data = session_form_data(programme, venue_without_creche, capacity="7", creche_places="2")
    response = admin_client.post(reverse("config_session_create"), data)
    assert response.status_code == 400
    assert "Library room has no crèche on site" in page_text(response)
    assert 'href="#id_creche_places"' in response.content.decode()
    assert input_value(response, "capacity") == "7"
    assert input_value(response, "creche_places") == "2"
    assert selected_value(response, "venue") == str(venue_without_creche.pk)


def test_a_retired_venue_is_not_offered_and_is_refused(admin_client, programme, venue):
    venue.is_active = False
    venue.save()
    assert "Rose House" not in admin_client.get(reverse("config_session_create")).content.decode()
    response = admin_client.post(
        reverse("config_session_create"), session_form_data(programme, venue)
    )
    assert response.status_code == 400
    assert "Choose from the list: that choice is not in use any more." in page_text(response)


def test_editing_a_session_below_its_bookings_is_refused_keeping_what_was_typed(
    admin_client, programme, venue, service_admin, team
):
    start = scheduling.local_datetime(next_week_day(), time(18, 0))
    session = scheduling.create_session(
        **session_args(programme, venue, starts_at=start, ends_at=start + timedelta(hours=2))
    )
    for _ in range(4):
        book(session, by=service_admin, team=team, children=1)
    url = reverse("config_session_edit", args=[session.pk])
    page = admin_client.get(url)
    assert input_value(page, "capacity") == "12"
    assert input_value(page, "start_time") == "18:00"
    data = {
        "venue": str(venue.pk), "facilitator": "", "day": next_week_day().isoformat(),
        "start_time": "18:30", "end_time": "20:15", "capacity": "3", "creche_places": "2",
        "booking_cutoff_hours": "5",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 400
    text = page_text(response)
    assert "4 women are already booked in, so places cannot be fewer than 4." in text
    assert "4 children already have crèche places, so crèche places cannot be fewer than 4." in (
        text
    )
    for field in ("start_time", "end_time", "capacity", "creche_places", "booking_cutoff_hours"):
        assert input_value(response, field) == data[field], field
    session.refresh_from_db()
    assert session.capacity == 12

    response = admin_client.post(url, {**data, "capacity": "4", "creche_places": "4"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.capacity, timezone.localtime(session.starts_at).time()) == (4, time(18, 30))
    assert session.booking_cutoff == session.starts_at - timedelta(hours=5)


def test_a_past_session_cannot_be_edited_or_cancelled(admin_client, programme, venue):
    session = scheduling.create_session(**session_args(programme, venue), now=BEFORE)
    GroupSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
        booking_cutoff=timezone.now() - timedelta(hours=5),
    )
    for name in ("config_session_edit", "config_session_cancel"):
        response = admin_client.post(reverse(name, args=[session.pk]), follow=True)
        assert "has already started, so it can no longer be changed" in page_text(response)
    session.refresh_from_db()
    assert not session.is_cancelled


def test_a_weekly_series_is_added_from_the_staff_pages(admin_client, programme, venue):
    monday = next_week_day() + timedelta(days=7 - next_week_day().weekday())
    skipped = monday + timedelta(weeks=2)
    response = admin_client.post(
        reverse("config_series_create"),
        {
            "programme": str(programme.pk), "venue": str(venue.pk), "facilitator": "",
            "first_date": monday.strftime("%d/%m/%Y"), "start_time": "10:00",
            "duration_minutes": "90", "weeks": "6",
            "skip_dates": skipped.strftime("%d %B %Y"), "capacity": "", "creche_places": "",
            "booking_cutoff_hours": "24",
        },
    )  # fmt: skip
    assert response.status_code == 302
    series = SessionSeries.objects.get()
    assert series.skip_dates == [skipped]
    days = [timezone.localtime(s.starts_at).date() for s in series.sessions.all()]
    assert len(days) == 5
    assert skipped not in days
    assert {s.capacity for s in series.sessions.all()} == {programme.default_capacity}


def test_a_refused_series_keeps_everything_typed(admin_client, programme, venue):
    data = {
        "programme": str(programme.pk), "venue": str(venue.pk), "facilitator": "",
        "first_date": next_week_day().isoformat(), "start_time": "10:00",
        "duration_minutes": "90", "weeks": "6",
        "skip_dates": "25/12/2026\nsome day\n31/02/2027", "capacity": "8",
        "creche_places": "2", "booking_cutoff_hours": "24",
    }  # fmt: skip
    response = admin_client.post(reverse("config_series_create"), data)
    assert response.status_code == 400
    text = page_text(response)
    assert "We could not read these as dates: “some day”, “31/02/2027”" in text
    assert "25/12/2026\nsome day\n31/02/2027" in response.content.decode()
    for field in ("first_date", "start_time", "duration_minutes", "weeks", "capacity"):
        assert input_value(response, field) == data[field], field

    # A date that is not one of the series' dates is refused by the scheduling rules.
    off_day = next_week_day() + timedelta(days=1)
    response = admin_client.post(
        reverse("config_series_create"), {**data, "skip_dates": off_day.isoformat()}
    )
    assert response.status_code == 400
    assert "so they cannot be skipped" in page_text(response)
    assert off_day.isoformat() in response.content.decode()
    assert not SessionSeries.objects.exists()


def test_editing_a_series_from_the_staff_pages_leaves_past_sessions_alone(
    admin_client, programme, venue
):
    # Eight weekly sessions, the first 20 days ago: three past, five to come from tomorrow.
    first_date = timezone.localdate() - timedelta(days=20)
    series = scheduling.create_weekly_series(
        **series_args(programme, venue, first_date=first_date),
        now=london(*first_date.timetuple()[:3], 9) - timedelta(days=1),
    )
    past = {s.pk: s.starts_at for s in series.sessions.all() if s.starts_at <= timezone.now()}
    assert len(past) == 3
    url = reverse("config_series_edit", args=[series.pk])
    page = admin_client.get(url)
    assert input_value(page, "start_time") == "18:00"
    response = admin_client.post(
        url,
        {"venue": str(venue.pk), "facilitator": "", "start_time": "17:30",
         "duration_minutes": "60", "capacity": "6", "creche_places": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    for session in series.sessions.all():
        if session.pk in past:
            assert (session.starts_at, session.capacity) == (past[session.pk], 12)
        else:
            assert timezone.localtime(session.starts_at).time() == time(17, 30)
            assert session.capacity == 6


def test_the_session_page_shows_fill_and_who_may_come(
    admin_client, programme, venue, service_admin, team
):
    start = scheduling.local_datetime(next_week_day(), time(18, 0))
    session = scheduling.create_session(
        **session_args(programme, venue, starts_at=start, ends_at=start + timedelta(hours=2))
    )
    for children in (2, 1, 0):
        book(session, by=service_admin, team=team, children=children)
    book(session, by=service_admin, team=team, status=BookingStatus.WAITLISTED)
    text = page_text(admin_client.get(reverse("config_session_detail", args=[session.pk])))
    assert "3 of 12 places (9 free)" in text
    assert "3 of 4 crèche places (1 free)" in text
    assert "1 woman waiting" in text
    assert "Women only" in text
    assert "Cancel this session" in text
    # Admins configure; they do not read case details.
    assert all(
        b.referral.preferred_name not in text for b in session.bookings.select_related("referral")
    )

    programme.women_only = False
    programme.save()
    text = page_text(admin_client.get(reverse("config_session_detail", args=[session.pk])))
    assert "Open to everyone (not women-only)" in text


def test_cancelling_a_session_asks_first_then_cancels_every_booking(
    admin_client, programme, venue, service_admin, team
):
    start = scheduling.local_datetime(next_week_day(), time(18, 0))
    session = scheduling.create_session(
        **session_args(programme, venue, starts_at=start, ends_at=start + timedelta(hours=2))
    )
    confirmed = book(session, by=service_admin, team=team, children=1)
    waiting = book(session, by=service_admin, team=team, status=BookingStatus.WAITLISTED)
    url = reverse("config_session_cancel", args=[session.pk])

    confirm_page = admin_client.get(url)
    text = page_text(confirm_page)
    assert "Cancel this session?" in text
    assert "1 woman is booked in." in text
    assert "Yes, cancel this session" in text
    session.refresh_from_db()
    assert not session.is_cancelled  # asking changes nothing

    response = admin_client.post(url, follow=True)
    session.refresh_from_db()
    assert session.is_cancelled
    for booking in (confirmed, waiting):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
    text = page_text(response)
    assert "The session is cancelled. 2 bookings were cancelled" in text
    # Through the booking side, which audits each cancelled booking against her case.
    assert AuditEvent.objects.filter(action=AuditAction.CANCELLED_BOOKING).count() == 2
    assert "This session was cancelled on" in text
    assert "Cancel this session" not in text.replace("Cancel this session?", "")


def test_cancelling_a_session_nobody_booked_says_so(admin_client, programme, venue):
    start = scheduling.local_datetime(next_week_day(), time(18, 0))
    session = scheduling.create_session(
        **session_args(programme, venue, starts_at=start, ends_at=start + timedelta(hours=2))
    )
    url = reverse("config_session_cancel", args=[session.pk])
    text = page_text(admin_client.post(url, follow=True))
    assert "The session is cancelled. Nobody was booked in." in text
    # Cancelling twice changes nothing and says why.
    text = page_text(admin_client.post(url, follow=True))
    assert "This session was cancelled, so it can no longer be changed." in text


# --- The Django admin --------------------------------------------------------------------------


ADMIN_PERMISSIONS = [
    "view_venue", "add_venue", "change_venue",
    "view_programme", "add_programme", "change_programme",
    "view_sessionseries", "view_groupsession",
]  # fmt: skip


def test_configuration_models_are_in_the_django_admin_and_bookings_are_not():
    for model in (Venue, Programme, SessionSeries, GroupSession):
        assert model in admin.site._registry
    assert Booking not in admin.site._registry


def test_service_admins_use_the_same_rules_in_the_django_admin(client, sign_in, service_admin):
    service_admin.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="sessions_booking", codename__in=ADMIN_PERMISSIONS
        )
    )
    sign_in(service_admin)
    for model in ("venue", "programme", "sessionseries", "groupsession"):
        assert client.get(f"/django-admin/sessions_booking/{model}/").status_code == 200
    data = {**PROGRAMME_DATA, "reminder_offsets_hours": "24"}
    response = client.post("/django-admin/sessions_booking/programme/add/", data)
    assert response.status_code == 200  # shown again with the error
    assert "Tick the box to confirm" in response.content.decode()
    assert not Programme.objects.exists()
    response = client.post(
        "/django-admin/sessions_booking/programme/add/",
        {**data, "confirm_open_to_everyone": "on"},
    )
    assert response.status_code == 302
    assert client.get("/django-admin/sessions_booking/groupsession/add/").status_code == 403
