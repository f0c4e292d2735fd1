"""A mistaken tap never gives her place away: "I cannot come" on her link page and "Cancel
booking" on the staff page each ask first, and only the second, clear answer cancels."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from sessions_booking.models import BookingLink, BookingStatus
from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from tests.support.factories import GroupSessionFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_session():
    start = timezone.now() + timedelta(days=3)
    return GroupSessionFactory(
        starts_at=start, ends_at=start + timedelta(hours=2),
        booking_cutoff=start - timedelta(hours=1), capacity=1, creche_places=0,
    )  # fmt: skip


@pytest.fixture
def booked(keyworker, full_session):
    """Her confirmed place and a woman waiting for it."""
    her = ReferralFactory(team=keyworker.team, assigned_to=keyworker, preferred_language="pl")
    waiting = ReferralFactory(team=keyworker.team, assigned_to=keyworker)
    booking = book_client(actor=keyworker, referral=her, session=full_session)
    behind = book_client(actor=keyworker, referral=waiting, session=full_session)
    assert (booking.status, behind.status) == (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
    return booking, behind


def statuses(*bookings):
    return [type(b).objects.get(pk=b.pk).status for b in bookings]


def test_one_tap_on_i_cannot_come_only_asks_in_her_language(client, booked):
    booking, behind = booked
    url = issue_link(booking).replace("http://127.0.0.1:8000", "")
    response = client.post(url, {"action": "cancel"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Czy na pewno nie możesz przyjść?" in html  # "Are you sure you cannot come?"
    assert 'name="sure" value="yes"' in html
    assert f'href="{url}"' in html  # "No, keep my place" goes back to her page
    assert statuses(booking, behind) == [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]
    assert not BookingLink.objects.filter(booking=booking, used_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SHE_CANCELLED).exists()

    response = client.post(url, {"action": "cancel", "sure": "yes"})
    assert response.status_code == 302
    assert statuses(booking, behind) == [BookingStatus.CANCELLED, BookingStatus.CONFIRMED]
    assert AuditEvent.objects.filter(action=AuditAction.SHE_CANCELLED).count() == 1


def test_asking_on_a_spent_or_unknown_link_says_so_instead(client, booked):
    booking, _behind = booked
    url = issue_link(booking).replace("http://127.0.0.1:8000", "")
    client.post(url, {"action": "cancel", "sure": "yes"})
    again = client.post(url, {"action": "cancel"}).content.decode()
    assert "Czy na pewno" not in again
    assert client.post("/r/AAAAAAAAAAAA/", {"action": "cancel"}).status_code == 404


def test_cancel_booking_asks_the_keyworker_first(client, sign_in, keyworker, booked):
    booking, behind = booked
    sign_in(keyworker)
    url = reverse("sessions_booking:booking_cancel", args=[booking.pk])
    book_page = client.get(reverse("sessions_booking:book_sessions", args=[booking.referral_id]))
    assert f'href="{url}"' in book_page.content.decode()  # a link to the question, not a form
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 200
        assert "Cancel this booking?" in response.content.decode()
        assert "Yes, cancel this booking" in response.content.decode()
    assert statuses(booking, behind) == [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]
    assert not AuditEvent.objects.filter(action=AuditAction.CANCELLED_BOOKING).exists()

    response = client.post(url, {"sure": "yes"})
    assert response.status_code == 302
    assert statuses(booking, behind) == [BookingStatus.CANCELLED, BookingStatus.CONFIRMED]
    assert AuditEvent.objects.filter(action=AuditAction.CANCELLED_BOOKING).count() == 1
