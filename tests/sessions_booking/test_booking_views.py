"""Booking from a case page, cancelling, the calendar file, and the facilitator's roster."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from referrals.choices import Status
from sessions_booking.models import Booking, BookingStatus, GroupSession
from tests.support.factories import (
    GroupSessionFactory,
    ReferralFactory,
    UserFactory,
    enable_mfa,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of_amara(team, amara):
    return ReferralFactory(
        team=team, assigned_to=amara, status=Status.ASSESSMENT, preferred_name="Kasia",
        full_name="Katarzyna Nowak", needs_childcare=True, children_count=2, children_ages=[3, 6],
        phone="+447911123456",
    )  # fmt: skip


def book(client, referral, session, **data):
    payload = {"session": session.pk, "children_in_creche": 0, "children_ages": "", **data}
    return client.post(reverse("sessions_booking:case_book", args=[referral.pk]), payload)


def test_her_keyworker_books_her_in_with_creche_places_prefilled(client, amara, client_of_amara):
    session = GroupSessionFactory()
    client.force_login(amara)
    page = client.get(
        reverse("sessions_booking:book_sessions", args=[client_of_amara.pk]),
        {"programme": session.programme.pk},
    )
    html = page.content.decode()
    assert "12 of 12 places free" in html
    assert 'name="children_in_creche" value="2"' in html
    assert 'value="3, 6"' in html
    assert "Women only" in html
    response = book(client, client_of_amara, session, children_in_creche=2, children_ages="3, 6")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.status, booking.children_in_creche, booking.children_ages) == (
        "confirmed",
        2,
        [3, 6],
    )
    case_page = client.get(
        reverse("referrals:case_detail", args=[client_of_amara.pk])
    ).content.decode()
    assert "Group: " in case_page  # on her timeline


def test_another_keyworker_cannot_book_or_see_her_bookings(client, beata, client_of_amara):
    session = GroupSessionFactory()
    client.force_login(beata)
    assert (
        client.get(reverse("sessions_booking:book_sessions", args=[client_of_amara.pk])).status_code
        == 404
    )
    assert book(client, client_of_amara, session).status_code == 404
    assert not Booking.objects.exists()


def test_a_team_lead_books_for_any_case_in_her_team(client, team, client_of_amara):
    lead = enable_mfa(UserFactory(team=team, roles={Role.TEAM_LEAD}))
    client.force_login(lead)
    assert book(client, client_of_amara, GroupSessionFactory()).status_code == 302
    assert Booking.objects.get().booked_by == lead


def test_a_refused_booking_explains_why_and_keeps_what_was_entered(client, amara, client_of_amara):
    from tests.support.factories import VenueFactory

    session = GroupSessionFactory(
        venue=VenueFactory(name="Library", creche_on_site=False), creche_places=0
    )
    client.force_login(amara)
    response = book(
        client,
        client_of_amara,
        session,
        children_in_creche=2,
        children_ages="3, 6",
        programme=session.programme.pk,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no crèche at this session" in html
    assert 'name="children_in_creche" value="2"' in html
    assert f'value="{session.pk}" id="id_session_0" checked' in html


def test_cancelling_from_the_case_frees_the_place_for_the_waitlist(
    client, team, amara, client_of_amara
):
    session = GroupSessionFactory(capacity=1, creche_places=0)
    client.force_login(amara)
    book(client, client_of_amara, session)
    waiting = ReferralFactory(team=team, assigned_to=amara)
    book(client, waiting, session)
    first = Booking.objects.get(referral=client_of_amara)
    client.post(reverse("sessions_booking:booking_cancel", args=[first.pk]), {"sure": "yes"})
    assert Booking.objects.get(referral=waiting).status == BookingStatus.CONFIRMED


def test_the_calendar_file_is_discreet_unless_she_allowed_the_name(client, amara, client_of_amara):
    session = GroupSessionFactory()
    client.force_login(amara)
    book(client, client_of_amara, session)
    booking = Booking.objects.get()
    ics = client.get(reverse("sessions_booking:booking_ics", args=[booking.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "SUMMARY:Appointment" in body
    assert "Haven" not in body
    assert session.programme.name not in body
    assert "LOCATION:12 High Street\\, Birmingham B12 9QL" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, referral=client_of_amara).exists()
    type(client_of_amara).objects.filter(pk=client_of_amara.pk).update(may_name_service=True)
    assert (
        "SUMMARY:Haven"
        in client.get(reverse("sessions_booking:booking_ics", args=[booking.pk])).content.decode()
    )


def started_session(**kwargs):
    session = GroupSessionFactory(**kwargs)
    started = timezone.now() - timedelta(minutes=30)
    GroupSession.objects.filter(pk=session.pk).update(
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        booking_cutoff=started - timedelta(hours=2),
    )
    session.refresh_from_db()
    return session


def test_the_roster_shows_preferred_names_and_creche_needs_only(
    client, team, amara, client_of_amara
):
    facilitator = enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}))
    session = GroupSessionFactory(facilitator=facilitator)
    client.force_login(amara)
    book(client, client_of_amara, session, children_in_creche=2, children_ages="3, 6")
    client.force_login(facilitator)
    html = client.get(
        reverse("sessions_booking:session_roster", args=[session.pk])
    ).content.decode()
    assert "Kasia" in html
    assert "2 children" in html
    for private in ("Katarzyna", "07911", client_of_amara.display_reference, "Assessment"):
        assert private not in html


def test_only_the_facilitator_and_service_admins_see_a_roster(client, team, amara):
    session = GroupSessionFactory(facilitator=UserFactory(team=team, roles={Role.KEYWORKER}))
    client.force_login(amara)
    assert (
        client.get(reverse("sessions_booking:session_roster", args=[session.pk])).status_code == 404
    )
    admin_user = enable_mfa(UserFactory(team=None, roles={Role.SERVICE_ADMIN}))
    client.force_login(admin_user)
    assert (
        client.get(reverse("sessions_booking:session_roster", args=[session.pk])).status_code == 200
    )


def test_the_facilitator_marks_the_register(client, team, amara, client_of_amara):
    facilitator = enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}))
    session = GroupSessionFactory(facilitator=facilitator)
    client.force_login(amara)
    book(client, client_of_amara, session)
    booking = Booking.objects.get()
    client.force_login(facilitator)
    early = client.post(
        reverse("sessions_booking:session_attendance", args=[session.pk]),
        {f"booking_{booking.pk}": "attended"},
    )
    assert early.status_code == 400
    assert "register opens" in early.content.decode()
    GroupSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        booking_cutoff=timezone.now() - timedelta(hours=1),
    )
    response = client.post(
        reverse("sessions_booking:session_attendance", args=[session.pk]),
        {f"booking_{booking.pk}": "late"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.LATE


@pytest.mark.parametrize("page", ["roster", "booking_page"])
def test_session_pages_run_the_same_number_of_queries_for_5_and_50_bookings(
    client, team, amara, page
):
    admin_user = enable_mfa(UserFactory(team=None, roles={Role.SERVICE_ADMIN}))
    session = GroupSessionFactory(capacity=100)
    her = ReferralFactory(team=team, assigned_to=amara)
    counts = []
    for size in (5, 50):
        Booking.objects.bulk_create(
            [
                Booking(
                    session=session,
                    referral=ReferralFactory(team=team),
                    status="confirmed",
                    booked_by=amara,
                    children_in_creche=0,
                )
                for _ in range(size)
            ]
        )
        if page == "roster":
            client.force_login(admin_user)
            url, params = reverse("sessions_booking:session_roster", args=[session.pk]), {}
        else:
            client.force_login(amara)
            url, params = (
                reverse("sessions_booking:book_sessions", args=[her.pk]),
                {"programme": session.programme.pk},
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
