"""A keyworker, in a real browser, books an Urdu-speaking mother of a one-year-old and a
four-year-old: the Urdu group is offered first, she books an English-language session
instead with a female Urdu interpreter requested, and the crèche takes both children while
the ratios hold."""

import pytest

from core.permissions import Role
from referrals.choices import Language, Status
from sessions_booking.models import Booking, BookingStatus, InterpreterRequest
from tests.browser.checks import assert_accessible
from tests.support.factories import (
    GroupSessionFactory,
    ProgrammeFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    enable_mfa,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_booking_an_urdu_speaking_mother_with_an_interpreter_request(live_server, staff_browser):
    team = TeamFactory(name="Birmingham")
    keyworker = enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}))
    nadia = ReferralFactory(
        team=team, assigned_to=keyworker, status=Status.ASSESSMENT, preferred_name="Nadia",
        preferred_language=Language.URDU, needs_interpreter=True, needs_childcare=True,
        children_count=2, children_ages=[1, 4],
    )  # fmt: skip
    programme = ProgrammeFactory(name="Mothers in recovery")
    english = GroupSessionFactory(programme=programme, creche_places=6, creche_workers=2)
    urdu = GroupSessionFactory(
        programme=programme,
        starts_at=english.starts_at.replace(hour=14),
        language="ur",
        creche_places=6,
        creche_workers=2,
    )

    page = staff_browser(keyworker)
    page.goto(f"{live_server.url}/staff/cases/{nadia.pk}/groups/")
    assert "She speaks Urdu." in page.inner_text("main")
    suiting = page.locator("#suiting-heading + ul")
    assert "Mothers in recovery" in suiting.inner_text()

    page.select_option("#programme", label="Mothers in recovery")
    with page.expect_navigation():
        page.click("button:has-text('Show sessions')")
    # The Urdu session comes first, the English one offers to request an interpreter.
    radios = page.locator("input[name='session']")
    assert radios.nth(0).get_attribute("value") == str(urdu.pk)
    assert radios.nth(1).get_attribute("value") == str(english.pk)
    assert "No interpreter for her yet: you can request one" in page.inner_text("fieldset")
    assert page.input_value("#id_children_in_creche") == "2"
    assert page.input_value("#id_children_ages") == "1, 4"
    assert_accessible(page, "booking page for a woman needing an interpreter")

    page.check(f"input[name='session'][value='{english.pk}']")
    page.check("input[name='request_interpreter']")
    page.check("input[name='female_interpreter']")
    with page.expect_navigation():
        page.click("form[action$='/book/'] button[type=submit]")
    assert "Booked: 1 confirmed, 0 on the waiting list." in page.inner_text(".messages")

    booking = Booking.objects.get(referral=nadia)
    assert (booking.session, booking.status) == (english, BookingStatus.CONFIRMED)
    assert (booking.creche_under_2, booking.creche_3_plus) == (1, 1)
    request = InterpreterRequest.objects.get()
    assert (request.session, request.language, request.mode, request.female, request.status) == (
        english, "ur", "face_to_face", True, "requested",
    )  # fmt: skip
    assert "Urdu interpreter" in page.inner_text("#bookings-heading + ul")
