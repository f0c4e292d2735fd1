"""The issue's whole story: a keyworker books an Urdu-speaking mother of a one-year-old and
a four-year-old. She is offered the Urdu-language group first; the crèche takes both
children only while the ratios hold; when it does not she is waitlisted, and she is
promoted as soon as a worker is added, or as soon as a child's place frees."""

import pytest
from django.urls import reverse

from referrals.choices import Language, Status
from sessions_booking.models import Booking, BookingStatus
from sessions_booking.services import scheduling
from sessions_booking.services.booking import Child, book_client, cancel_booking
from tests.support.factories import GroupSessionFactory, ProgrammeFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia(team, amara):
    return ReferralFactory(
        team=team, assigned_to=amara, status=Status.ASSESSMENT, preferred_name="Nadia",
        preferred_language=Language.URDU, needs_childcare=True, children_count=2,
        children_ages=[1, 4],
    )  # fmt: skip


@pytest.fixture
def urdu_group(amara):
    """The Urdu group's crèche: one worker, three babies already in it."""
    programme = ProgrammeFactory(name="Mothers in recovery (Urdu)", language="ur")
    session = GroupSessionFactory(
        programme=programme, language="ur", creche_places=8, creche_workers=1
    )
    babies = []
    for _ in range(3):
        babies.append(
            book_client(
                actor=amara,
                referral=ReferralFactory(team=amara.team, assigned_to=amara),
                session=session,
                children=[Child(age_in_years=1)],
            )
        )
    return session, babies


def unchanged(session):
    return {
        "venue": session.venue, "facilitator": session.facilitator,
        "starts_at": session.starts_at, "ends_at": session.ends_at,
        "capacity": session.capacity, "creche_places": session.creche_places,
        "booking_cutoff_hours": 2,
    }  # fmt: skip


def book_nadia(client, nadia, session):
    return client.post(
        reverse("sessions_booking:case_book", args=[nadia.pk]),
        {"session": session.pk, "children_in_creche": 2, "children_ages": "1, 4"},
        follow=True,
    )


def test_she_is_offered_the_urdu_group_first_and_waits_until_a_worker_is_added(
    client, sign_in, amara, nadia, urdu_group
):
    session, _babies = urdu_group
    GroupSessionFactory()  # an English group, sooner
    sign_in(amara)
    page = client.get(reverse("sessions_booking:book_sessions", args=[nadia.pk])).content.decode()
    assert "Groups in Urdu or with a Urdu interpreter" in page
    assert "Mothers in recovery (Urdu)" in page

    response = book_nadia(client, nadia, session)
    booking = Booking.objects.get(referral=nadia)
    assert booking.status == BookingStatus.WAITLISTED
    assert "Her children do not fit in the crèche" in response.content.decode()
    assert booking.interpreter_language == ""  # the group is in her language

    scheduling.update_session(session=session, creche_workers=3, **unchanged(session))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_she_is_promoted_as_soon_as_a_childs_place_frees(client, sign_in, amara, nadia, urdu_group):
    session, babies = urdu_group
    scheduling.update_session(session=session, creche_workers=2, **unchanged(session))
    sign_in(amara)
    book_nadia(client, nadia, session)  # a fourth baby needs a second worker for babies
    booking = Booking.objects.get(referral=nadia)
    assert booking.status == BookingStatus.WAITLISTED

    cancel_booking(actor=amara, booking=babies[0])

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
