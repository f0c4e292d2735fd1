"""A weekly group from set-up to attendance: an admin sets up a weekly eight-week
women-only group with 12 places and 4 crèche places; two keyworkers book clients until it
is full; a cancellation promotes the right woman from the waitlist; the facilitator marks
attendance; everything shows on the calendar and in each case's timeline."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.permissions import Role
from referrals.choices import Status
from sessions_booking.models import Booking, BookingStatus, GroupSession, SessionSeries
from tests.support.factories import (
    ProgrammeFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    VenueFactory,
    enable_mfa,
)

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(enable_mfa(user))
    return client


def test_a_weekly_group_is_set_up_filled_waitlisted_and_attended():
    team = TeamFactory(name="Birmingham")
    admin = signed_in(UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True))
    amara_user = UserFactory(team=team, roles={Role.KEYWORKER})
    beata_user = UserFactory(team=team, roles={Role.KEYWORKER})
    amara, beata = signed_in(amara_user), signed_in(beata_user)
    programme = ProgrammeFactory(name="Women's recovery group", women_only=True)
    venue = VenueFactory(name="Moseley Women's Centre", creche_on_site=True)

    # An admin sets up a weekly eight-week group with 12 places and 4 crèche places.
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    response = admin.post(
        reverse("sessions_booking:setup_series_create"),
        {
            "programme": programme.pk, "venue": venue.pk, "facilitator": amara_user.pk,
            "first_date": monday.strftime("%d/%m/%Y"), "start_time": "10:00",
            "duration_minutes": "120", "weeks": "8", "skip_dates": "", "capacity": "12",
            "creche_places": "4", "booking_cutoff_hours": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    series = SessionSeries.objects.get()
    assert series.sessions.count() == 8
    first = series.sessions.order_by("starts_at").first()

    # Two keyworkers book their clients until it is full (and beyond: a waiting list).
    def client_of(keyworker, children=()):
        return ReferralFactory(
            team=team,
            assigned_to=keyworker,
            status=Status.ASSESSMENT,
            needs_childcare=bool(children),
            children_count=len(children),
            children_ages=list(children),
        )

    def book(client, referral, children=0):
        return client.post(
            reverse("sessions_booking:case_book", args=[referral.pk]),
            {"session": first.pk, "children_in_creche": children, "children_ages": ""},
        )

    mothers = [client_of(amara_user, (2, 4)), client_of(beata_user, (1, 5))]
    for mother in mothers:
        assert (
            book(amara if mother.assigned_to == amara_user else beata, mother, 2).status_code == 302
        )
    others = [client_of(amara_user) for _ in range(5)] + [client_of(beata_user) for _ in range(5)]
    for woman in others:
        book(amara if woman.assigned_to == amara_user else beata, woman)
    assert first.bookings.filter(status=BookingStatus.CONFIRMED).count() == 12
    # Full: a mother needing the crèche waits, then a woman who needs no crèche.
    waiting_mother = client_of(amara_user, (3,))
    book(amara, waiting_mother, 1)
    waiting = client_of(beata_user)
    book(beata, waiting)
    assert Booking.objects.get(referral=waiting_mother).status == BookingStatus.WAITLISTED
    assert Booking.objects.get(referral=waiting).status == BookingStatus.WAITLISTED

    # A woman without children cancels: the crèche is still full, so the mother who waited
    # longer cannot take it and the next woman who fits is promoted.
    leaving = Booking.objects.get(referral=others[0])
    amara.post(reverse("sessions_booking:booking_cancel", args=[leaving.pk]), {"sure": "yes"})
    assert Booking.objects.get(referral=waiting).status == BookingStatus.CONFIRMED
    assert Booking.objects.get(referral=waiting_mother).status == BookingStatus.WAITLISTED

    # The session happens; the facilitator marks the register.
    started = timezone.now() - timedelta(minutes=20)
    GroupSession.objects.filter(pk=first.pk).update(
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        booking_cutoff=started - timedelta(hours=2),
    )
    roster = amara.get(reverse("sessions_booking:session_roster", args=[first.pk])).content.decode()
    assert roster.count('type="radio"') == 12 * 4
    marks = {
        f"booking_{b.pk}": "attended" for b in first.bookings.filter(status=BookingStatus.CONFIRMED)
    }
    marks[f"booking_{Booking.objects.get(referral=mothers[0]).pk}"] = "did_not_attend"
    assert (
        amara.post(
            reverse("sessions_booking:session_attendance", args=[first.pk]), marks
        ).status_code
        == 302
    )
    assert first.bookings.filter(status=BookingStatus.ATTENDED).count() == 11

    # The calendar shows it full, with the crèche full and one woman still waiting.
    calendar = admin.get(
        reverse("sessions_booking:setup_calendar"), {"week": timezone.localdate().isoformat()}
    ).content.decode()
    assert "12 of 12 places" in calendar
    assert "4 of 4 crèche places" in calendar
    assert "Women only" in calendar
    # And each case's timeline shows her group.
    timeline = amara.get(reverse("referrals:case_detail", args=[mothers[0].pk])).content.decode()
    assert "Women&#x27;s recovery group" in timeline
    assert "Did not attend" in timeline
    promoted = beata.get(reverse("referrals:case_detail", args=[waiting.pk])).content.decode()
    assert "Attended" in promoted
