"""Service admins set up venues, programmes, sessions and weekly series from the staff
pages under /staff/groups/, and what they typed is kept when something is refused."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from sessions_booking.models import (
    BookingStatus,
    GroupSession,
    Programme,
    SessionSeries,
    Venue,
)
from sessions_booking.services import scheduling
from tests.support.factories import UserFactory
from tests.support.group_sessions import (
    BEFORE,
    PROGRAMME_DATA,
    book,
    input_value,
    london,
    page_text,
    selected_value,
    series_args,
    session_args,
)

pytestmark = pytest.mark.django_db


# --- The pages -----------------------------------------------------------------------------------


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
        reverse("sessions_booking:setup_venue_create"),
        {"name": "Oak Centre", "address": "3 Oak Road", "creche_on_site": "on",
         "separate_entrance": "on", "safety_notes": "Side door.", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    oak = Venue.objects.get(name="Oak Centre")
    assert oak.creche_on_site
    assert oak.separate_entrance
    assert not oak.step_free
    listing = page_text(admin_client.get(reverse("sessions_booking:setup_venues")))
    assert "Oak Centre" in listing
    assert "Separate entrance" in listing
    response = admin_client.post(
        reverse("sessions_booking:setup_venue_edit", args=[oak.pk]),
        {"name": "Oak Centre", "address": "3 Oak Road", "step_free": "on", "is_active": "on"},
    )
    assert response.status_code == 302
    oak.refresh_from_db()
    assert oak.step_free
    assert not oak.creche_on_site


def test_a_venue_without_a_name_is_refused_keeping_what_was_typed(admin_client):
    response = admin_client.post(
        reverse("sessions_booking:setup_venue_create"), {"name": "", "address": "9 Elm Street B9"}
    )
    assert response.status_code == 400
    assert "There is a problem" in page_text(response)
    assert "Enter the venue&#x27;s name." in response.content.decode()
    assert "9 Elm Street B9" in response.content.decode()


def test_turning_women_only_off_without_confirming_is_refused_keeping_what_was_typed(
    admin_client, programme
):
    url = reverse("sessions_booking:setup_programme_edit", args=[programme.pk])
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
    listing = page_text(admin_client.get(reverse("sessions_booking:setup_programmes")))
    assert "Open to everyone (not women-only)" in listing


def test_programme_facilitators_are_chosen_from_active_staff(admin_client, team):
    active = UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Active Person")
    UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Gone Person", is_active=False)
    page = admin_client.get(reverse("sessions_booking:setup_programme_create")).content.decode()
    assert "Active Person" in page
    assert "Gone Person" not in page
    response = admin_client.post(
        reverse("sessions_booking:setup_programme_create"),
        {**PROGRAMME_DATA, "women_only": "on", "facilitators": [str(active.pk)]},
    )
    assert response.status_code == 302
    assert list(Programme.objects.get(name="Open drop-in").facilitators.all()) == [active]


def test_programme_defaults_fill_in_the_new_session_and_series_forms(admin_client, programme):
    for name in ("sessions_booking:setup_session_create", "sessions_booking:setup_series_create"):
        response = admin_client.get(f"{reverse(name)}?programme={programme.pk}")
        assert selected_value(response, "programme") == str(programme.pk)
        assert input_value(response, "capacity") == "10"
        assert input_value(response, "creche_places") == "4"


def test_a_session_is_added_from_the_staff_pages(admin_client, programme, venue):
    response = admin_client.post(
        reverse("sessions_booking:setup_session_create"), session_form_data(programme, venue)
    )
    session = GroupSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "sessions_booking:setup_session_detail", args=[session.pk]
    )
    assert timezone.localtime(session.starts_at) == london(*next_week_day().timetuple()[:3], 18)
    assert (session.capacity, session.creche_places) == (9, 3)


def test_blank_places_take_the_programme_defaults(admin_client, programme, venue):
    admin_client.post(
        reverse("sessions_booking:setup_session_create"),
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
    response = admin_client.post(reverse("sessions_booking:setup_session_create"), data)
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
    response = admin_client.post(reverse("sessions_booking:setup_session_create"), data)
    assert response.status_code == 400
    assert "Library room has no crèche on site" in page_text(response)
    assert 'href="#id_creche_places"' in response.content.decode()
    assert input_value(response, "capacity") == "7"
    assert input_value(response, "creche_places") == "2"
    assert selected_value(response, "venue") == str(venue_without_creche.pk)


def test_a_retired_venue_is_not_offered_and_is_refused(admin_client, programme, venue):
    venue.is_active = False
    venue.save()
    assert (
        "Rose House"
        not in admin_client.get(reverse("sessions_booking:setup_session_create")).content.decode()
    )
    response = admin_client.post(
        reverse("sessions_booking:setup_session_create"), session_form_data(programme, venue)
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
    url = reverse("sessions_booking:setup_session_edit", args=[session.pk])
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
    for name in ("sessions_booking:setup_session_edit", "sessions_booking:setup_session_cancel"):
        response = admin_client.post(reverse(name, args=[session.pk]), follow=True)
        assert "has already started, so it can no longer be changed" in page_text(response)
    session.refresh_from_db()
    assert not session.is_cancelled


def test_a_weekly_series_is_added_from_the_staff_pages(admin_client, programme, venue):
    monday = next_week_day() + timedelta(days=7 - next_week_day().weekday())
    skipped = monday + timedelta(weeks=2)
    response = admin_client.post(
        reverse("sessions_booking:setup_series_create"),
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
    response = admin_client.post(reverse("sessions_booking:setup_series_create"), data)
    assert response.status_code == 400
    text = page_text(response)
    assert "We could not read these as dates: “some day”, “31/02/2027”" in text
    assert "25/12/2026\nsome day\n31/02/2027" in response.content.decode()
    for field in ("first_date", "start_time", "duration_minutes", "weeks", "capacity"):
        assert input_value(response, field) == data[field], field

    # A date that is not one of the series' dates is refused by the scheduling rules.
    off_day = next_week_day() + timedelta(days=1)
    response = admin_client.post(
        reverse("sessions_booking:setup_series_create"), {**data, "skip_dates": off_day.isoformat()}
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
    url = reverse("sessions_booking:setup_series_edit", args=[series.pk])
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
    text = page_text(
        admin_client.get(reverse("sessions_booking:setup_session_detail", args=[session.pk]))
    )
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
    text = page_text(
        admin_client.get(reverse("sessions_booking:setup_session_detail", args=[session.pk]))
    )
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
    url = reverse("sessions_booking:setup_session_cancel", args=[session.pk])

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
    url = reverse("sessions_booking:setup_session_cancel", args=[session.pk])
    text = page_text(admin_client.post(url, follow=True))
    assert "The session is cancelled. Nobody was booked in." in text
    # Cancelling twice changes nothing and says why.
    text = page_text(admin_client.post(url, follow=True))
    assert "This session was cancelled, so it can no longer be changed." in text
