"""In a real browser, on a phone: one tap on "I cannot come" on her reminder link page
only asks; "No, keep my place" keeps it; "Yes, cancel my place" gives it to the next woman
waiting. A keyworker's "Cancel booking" asks the same way. Both questions pass axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_booking.models import BookingStatus
from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from tests.browser.checks import assert_accessible
from tests.support.factories import GroupSessionFactory, ReferralFactory, enable_mfa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_her_link_and_the_staff_page_ask_before_cancelling(
    live_server, phone, staff_browser, keyworker
):
    start = timezone.now() + timedelta(days=3)
    session = GroupSessionFactory(
        starts_at=start, ends_at=start + timedelta(hours=2),
        booking_cutoff=start - timedelta(hours=1), capacity=1, creche_places=0,
    )  # fmt: skip
    her = ReferralFactory(team=keyworker.team, assigned_to=keyworker, preferred_name="Hers")
    waiting = ReferralFactory(team=keyworker.team, assigned_to=keyworker, preferred_name="Next")
    booking = book_client(actor=keyworker, referral=her, session=session)
    behind = book_client(actor=keyworker, referral=waiting, session=session)
    link = issue_link(booking).replace("http://127.0.0.1:8000", live_server.url)

    def statuses():
        booking.refresh_from_db()
        behind.refresh_from_db()
        return booking.status, behind.status

    phone.goto(link)
    with phone.expect_navigation():
        phone.click("button:has-text('I cannot come')")
    assert "Are you sure you cannot come?" in phone.inner_text("main")
    assert statuses() == (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
    assert_accessible(phone, "her link: are you sure?")
    with phone.expect_navigation():
        phone.click("text=No, keep my place")
    assert "I cannot come" in phone.inner_text("main")
    assert statuses() == (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
    with phone.expect_navigation():
        phone.click("button:has-text('I cannot come')")
    with phone.expect_navigation():
        phone.click("button:has-text('Yes, cancel my place')")
    assert "This appointment is cancelled" in phone.inner_text("main")
    assert statuses() == (BookingStatus.CANCELLED, BookingStatus.CONFIRMED)

    # Her keyworker cancels the other woman's place: asked first, then done.
    page = staff_browser(enable_mfa(keyworker))
    page.goto(f"{live_server.url}/staff/cases/{waiting.pk}/groups/")
    with page.expect_navigation():
        page.click("a:has-text('Cancel booking')")
    assert "Cancel this booking?" in page.inner_text("h1")
    assert_accessible(page, "cancel this booking?")
    behind.refresh_from_db()
    assert behind.status == BookingStatus.CONFIRMED
    with page.expect_navigation():
        page.click("button:has-text('Yes, cancel this booking')")
    behind.refresh_from_db()
    assert behind.status == BookingStatus.CANCELLED
