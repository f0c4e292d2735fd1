"""Every public page passes axe-core (WCAG 2.2 A and AA) and reflows at 320 px, including
the pages that show errors; screenshots of the form at 360 and 1280 px go to test-artifacts/.
"""

import pytest

from tests.browser.checks import assert_accessible, assert_reflows
from tests.support.factories import GroupSessionFactory, ReferralFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.any_day,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def narrow(chromium):
    """The narrowest screen WCAG 1.4.10 asks for: 320 CSS pixels."""
    context = chromium.new_context(viewport={"width": 320, "height": 740})
    page = context.new_page()
    yield page
    context.close()


def check(page, where):
    assert_accessible(page, where)
    assert_reflows(page, 320)


def submit(page, label="Continue"):
    with page.expect_navigation():
        page.click(f"form button.btn-primary:has-text('{label}')")


def test_every_page_of_the_self_referral_passes_axe_and_reflows(site, narrow):
    page = narrow
    page.goto(f"{site}/")
    check(page, "home")
    page.goto(f"{site}/refer/")
    check(page, "about")
    submit(page)
    assert page.title().startswith("Error:")
    check(page, "about, with errors")

    page.fill("#id_about-preferred_name", "Jas")
    page.select_option("#id_about-age_range", "25_34")
    submit(page)
    page.check("input[name='contact-safe_channels'][value='sms']")
    submit(page)
    assert page.title().startswith("Error:")
    check(page, "contact, with errors")
    page.fill("#id_contact-phone", "07911 123456")
    submit(page)
    check(page, "times")
    page.fill("#id_times-safe_from", "10:00")
    submit(page)
    assert page.title().startswith("Error:")
    check(page, "times, with errors")
    page.fill("#id_times-safe_until", "14:00")
    submit(page)

    check(page, "support")
    page.check("input[name='support-safe_now'][value='no']")
    check(page, "support, with the emergency options shown")
    submit(page)

    check(page, "health, with the emergency options first")
    page.check("input[name='health-substances'][value='other']")
    submit(page)
    assert page.title().startswith("Error:")
    check(page, "health, with errors")
    page.fill("#id_health-substances_other", "Spice")
    submit(page)
    check(page, "family")
    page.fill("#id_family-children_ages", "4")
    submit(page)
    assert page.title().startswith("Error:")
    check(page, "family, with errors")
    page.fill("#id_family-children_count", "1")
    submit(page)
    check(page, "groups")
    submit(page)

    check(page, "agreement, with the emergency options first")
    submit(page)
    assert page.title().startswith("Error:")
    check(page, "agreement, with errors")
    page.check("#id_agreement-consent_to_store")
    submit(page)

    assert page.title().startswith("Check your answers")
    check(page, "check your answers")
    submit(page, "Send")
    assert page.title().startswith("Sent")
    check(page, "sent")


def test_the_professional_form_passes_axe_and_reflows(site, narrow):
    page = narrow
    page.goto(f"{site}/refer/professional/")
    check(page, "professional: referrer")
    submit(page)
    assert page.title().startswith("Error:")
    check(page, "professional: referrer, with errors")


def test_her_appointment_page_passes_axe_and_reflows(site, narrow, settings):
    from sessions_booking.services.booking import book_client
    from sessions_booking.services.links import issue_link
    from tests.support.factories import UserFactory

    settings.SITE_URL = site
    keyworker = UserFactory()
    her = ReferralFactory(assigned_to=keyworker)
    booking = book_client(actor=keyworker, referral=her, session=GroupSessionFactory())
    page = narrow
    page.goto(issue_link(booking))
    check(page, "her appointment")
    page.click("button[value='confirm']")
    check(page, "her appointment, confirmed")


def test_the_form_at_phone_and_desktop_widths(site, chromium, artifacts):
    for width in (360, 1280):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{site}/refer/")
        page.screenshot(path=artifacts / f"public-form-{width}.png", full_page=True)
        submit(page)
        assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
        page.screenshot(path=artifacts / f"public-form-errors-{width}.png", full_page=True)
        assert_accessible(page, f"about, with errors, at {width} px")
        context.close()
