"""A keyworker, in a real browser: signs in through allauth's pages with her password and an
authenticator code, picks up a woman's self-referral from the team queue, books her and her
children into a group with a crèche, and sees the reminders that will go to her."""

import pytest
from django.test import Client

from core.permissions import Role
from referrals.models import Referral
from sessions_booking.models import Booking, BookingStatus, Reminder
from tests.browser.checks import assert_accessible
from tests.support.factories import (
    TEST_PASSWORD,
    GroupSessionFactory,
    TeamFactory,
    UserFactory,
    current_totp_code,
    enable_mfa,
)
from tests.support.referral_journey import SELF, SELF_STEPS, complete

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def her_referral(live_server, settings):
    """Jas refers herself (tests/support/referral_journey.py): two children, 3 and 6, and she needs
    the crèche to come."""
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    TeamFactory(name="Birmingham", postcode_districts=["B12"], is_default=True)
    complete(Client(), SELF, SELF_STEPS)
    return Referral.objects.get()


def test_a_keyworker_signs_in_with_mfa_picks_her_up_and_books_her_with_the_creche(
    her_referral, live_server, chromium
):
    keyworker = enable_mfa(
        UserFactory(team=her_referral.team, roles={Role.KEYWORKER}, email="kay@haven.test")
    )
    session = GroupSessionFactory(
        programme__name="Mothers in recovery", capacity=8, creche_places=4
    )
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    site = live_server.url

    # Staff pages send her to sign in first.
    page.goto(f"{site}/staff/queue/")
    assert "/accounts/login/" in page.url
    assert_accessible(page, "sign in")
    page.fill("input[name='login']", "kay@haven.test")
    page.fill("input[name='password']", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    # Her password alone shows nothing: allauth asks for the authenticator code.
    assert "/accounts/2fa/authenticate/" in page.url
    assert_accessible(page, "authenticator code")
    page.fill("input[name='code']", current_totp_code())
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith("/staff/queue/")

    # The team queue: she picks Jas up.
    row = page.locator("tr", has_text="Jas")
    assert row.count() == 1
    with page.expect_navigation():
        row.locator("button:has-text('Pick up')").click()
    assert f"/staff/cases/{her_referral.pk}/" in page.url
    assert "You have picked up this referral." in page.inner_text(".messages")
    her_referral.refresh_from_db()
    assert her_referral.assigned_to == keyworker

    # From her case to the booking page; the crèche places are filled in from the referral.
    with page.expect_navigation():
        page.click(f"a[href='/staff/cases/{her_referral.pk}/groups/']")
    page.select_option("#programme", label="Mothers in recovery")
    with page.expect_navigation():
        page.click("button:has-text('Show sessions')")
    assert page.input_value("#id_children_in_creche") == "2"
    assert page.input_value("#id_children_ages") == "3, 6"
    page.check(f"input[name='session'][value='{session.pk}']")
    with page.expect_navigation():
        page.click("form[action$='/book/'] button[type=submit]")
    assert "Booked: 1 confirmed, 0 on the waiting list." in page.inner_text(".messages")

    booking = Booking.objects.get(referral=her_referral, session=session)
    assert booking.status == BookingStatus.CONFIRMED
    assert (booking.children_in_creche, booking.children_ages) == (2, [3, 6])
    # The reminders are scheduled, and shown on the booking page.
    reminders = list(Reminder.objects.filter(booking=booking).order_by("-offset_hours"))
    assert reminders
    table = page.locator("table:has(caption:has-text('Reminders for this booking'))")
    assert table.locator("tbody tr").count() == len(reminders)
    for reminder in reminders:
        assert f"{reminder.offset_hours} hours before" in table.inner_text()
    assert "2 crèche places" in page.inner_text("#bookings-heading + ul")
    assert_accessible(page, "booking page after booking")
    context.close()
