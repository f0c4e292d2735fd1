"""A keyworker, in a real browser, refers a woman to a partner for trauma-focused
mental-health support: she records the need, is refused until her consent is recorded,
refers her to a partner covering her area, records the acknowledgement and the first
appointment; her team lead then sees the wait on the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.permissions import Role
from partners.choices import OnwardStatus
from partners.models import OnwardReferral
from referrals.choices import Status
from tests.browser.checks import assert_accessible
from tests.support.factories import (
    ReferralFactory,
    TeamFactory,
    UserFactory,
    enable_mfa,
    partner_service,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_keyworker_refers_her_for_trauma_support_and_the_lead_sees_the_wait(
    live_server, staff_browser
):
    team = TeamFactory(name="North")
    keyworker = enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}))
    lead = enable_mfa(UserFactory(team=team, roles={Role.TEAM_LEAD}))
    her = ReferralFactory(
        team=team, assigned_to=keyworker, status=Status.ACTIVE, preferred_name="Jodie",
        full_name="Jodie Smith", wants_mental_health_support=True,
    )  # fmt: skip
    service = partner_service(name="Talking Therapies", teams=[team])
    partner_service(name="Far Away Therapies", teams=[TeamFactory(name="South")])
    today = timezone.localdate().isoformat()
    site = live_server.url

    page = staff_browser(keyworker)
    page.goto(f"{site}/staff/cases/{her.pk}/")
    with page.expect_navigation():
        page.click("text=Support plan and partner referrals")
    assert "Support plan for Jodie" in page.inner_text("h1")
    assert "She asked for this on her referral" in page.inner_text("main")
    assert_accessible(page, "her support plan")

    # The need, in her words.
    page.select_option("select[name='kind']", "mental_health")
    page.fill("textarea[name='detail']", "Trauma-focused therapy, one to one")
    page.check("input[name='source'][value='referral']")
    with page.expect_navigation():
        page.click("button:has-text('Add need')")
    assert "Need added to her support plan." in page.inner_text(".messages")
    need = her.support_needs.get()

    # Refer her, forgetting her consent: refused, with everything chosen still there.
    page.select_option("select[name='need']", str(need.pk))
    page.select_option("select[name='service']", str(service.pk))
    page.check("input[name='shared_details'][value='name']")
    page.check("input[name='shared_details'][value='need']")
    with page.expect_navigation():
        page.click("button:has-text('Record referral')")
    summary = page.locator(".error-summary")
    assert "Record her consent to share before referring her." in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.input_value("select[name='service']") == str(service.pk)
    assert page.is_checked("input[name='shared_details'][value='need']")
    assert not page.is_checked("input[name='shared_details'][value='contact']")
    assert_accessible(page, "a refused referral")
    page.check("input[name='consent_given']")
    with page.expect_navigation():
        page.click("button:has-text('Record referral')")
    assert "Referral to the partner recorded." in page.inner_text(".messages")
    onward = OnwardReferral.objects.get()
    assert onward.shared_details == ["name", "need"]

    # The partner answers, then offers a first appointment.
    page.select_option(f"select[name='step-{onward.pk}-status']", "acknowledged")
    page.fill(f"input[name='step-{onward.pk}-on']", today)
    with page.expect_navigation():
        page.click("button:has-text('Record')  >> nth=0")
    page.select_option(f"select[name='step-{onward.pk}-status']", "appointment_offered")
    page.fill(f"input[name='step-{onward.pk}-on']", today)
    appointment = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.fill(f"input[name='step-{onward.pk}-appointment_on']", appointment)
    with page.expect_navigation():
        page.click("button:has-text('Record')  >> nth=0")
    onward.refresh_from_db()
    assert onward.status == OnwardStatus.APPOINTMENT_OFFERED
    assert onward.appointment_on.isoformat() == appointment
    assert list(onward.steps.values_list("status", flat=True)) == [
        OnwardStatus.SENT, OnwardStatus.ACKNOWLEDGED, OnwardStatus.APPOINTMENT_OFFERED,
    ]  # fmt: skip

    # Her team lead sees the wait on the dashboard, and which woman waits longest.
    board = staff_browser(lead)
    board.goto(f"{site}/staff/reports/")
    kinds = board.locator("table", has_text="Waits for partner support, by kind of support")
    row = kinds.locator("tr", has_text="Mental health")
    assert row.locator("td").first.inner_text().strip() == "1"
    longest = board.locator("table", has_text="Longest waits for mental-health support now")
    assert her.display_reference in longest.inner_text()
    assert_accessible(board, "the dashboard with partner waits")
