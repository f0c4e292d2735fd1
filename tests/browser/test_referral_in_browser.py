"""A woman refers herself in a real browser, on a 360-px screen, with only the keyboard."""

import pytest

from referrals.choices import Priority
from referrals.models import Referral
from tests.browser.checks import press_continue, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # serialized_rollback restores the role groups (data migration) after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_woman_completes_the_referral_with_only_the_keyboard(site, phone, artifacts):
    page = phone
    page.goto(f"{site}/refer/")
    assert page.title().startswith("About you")
    page.screenshot(path=artifacts / "referral-about-360.png", full_page=True)

    tab_to(page, "#id_about-preferred_name")
    page.keyboard.type("Jas")
    tab_to(page, "#id_about-postcode")
    page.keyboard.type("B12 9QL")
    tab_to(page, "#id_about-age_range")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_about-age_range") == "18_24"
    press_continue(page)

    # Keeping you safe: she ticks SMS but forgets the number; the error summary takes focus.
    assert page.title().startswith("Keeping you safe")
    tab_to(page, "input[name='contact-safe_channels'][value='sms']")
    page.keyboard.press("Space")
    press_continue(page)
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.is_checked("input[name='contact-safe_channels'][value='sms']")
    # The summary's link takes her straight to the field.
    tab_to(page, "[data-error-summary] a[href='#id_contact-phone']")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_contact-phone"
    page.keyboard.type("07911 123456")
    press_continue(page)
    assert page.title().startswith("Safe times")
    press_continue(page)

    assert page.title().startswith("What would help")
    tab_to(page, "input[name='support-safe_now']")
    page.keyboard.press("Space")
    assert page.is_checked("input[name='support-safe_now'][value='yes']")
    press_continue(page)
    for title in ("Your health", "Children and coming to groups", "Language and groups"):
        assert page.title().startswith(title)
        press_continue(page)

    assert page.title().startswith("Your agreement")
    tab_to(page, "#id_agreement-consent_to_store")
    page.keyboard.press("Space")
    press_continue(page)

    assert page.title().startswith("Check your answers")
    assert "07911 123456" in page.content()
    press_continue(page)

    assert page.title().startswith("Sent")
    referral = Referral.objects.get()
    assert referral.display_reference in page.inner_text(".reference-code")
    assert referral.priority == Priority.ROUTINE
    assert referral.safe_channels == ["sms"]
    page.screenshot(path=artifacts / "referral-sent-360.png", full_page=True)
    # Nothing of the form is kept in the browser's storage.
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0

    # She leaves with the keyboard. Back does not return to the page she left, and the
    # earlier step it reaches (each step is a page of its own in the history) shows nothing
    # she typed: her answers left the server's session when she sent them.
    reference = referral.display_reference
    tab_to(page, "#quick-exit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/healthz?left=1")
    page.go_back()
    page.wait_for_load_state()
    assert "/refer/sent/" not in page.url
    shown = page.content()
    for hers in (reference, "Jas", "B12 9QL", "07911 123456"):
        assert hers not in shown


def test_pressing_shift_three_times_leaves_and_back_does_not_return(site, phone):
    page = phone
    page.goto(f"{site}/healthz?before=1")
    page.goto(f"{site}/refer/")
    page.fill("#id_about-preferred_name", "Jas")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/healthz?left=1")
    page.go_back()
    assert "/refer/" not in page.url
    assert "before=1" in page.url


def test_after_the_exit_back_to_an_earlier_step_shows_nothing_she_typed(site, phone):
    """Each step is its own page in her history and the exit replaces only the current
    one; /exit/ forgets her answers, so Back to the step before shows an empty form."""
    page = phone
    page.goto(f"{site}/refer/")
    page.fill("#id_about-preferred_name", "Jasvinder")
    page.fill("#id_about-postcode", "B12 9QL")
    page.select_option("#id_about-age_range", "25_34")
    press_continue(page)
    assert "/refer/contact/" in page.url
    tab_to(page, "#quick-exit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/healthz?left=1")
    page.go_back()
    assert "/refer/about/" in page.url
    assert page.input_value("#id_about-preferred_name") == ""
    assert "Jasvinder" not in page.content()


def test_the_exit_button_replaces_the_page_in_history(site, phone):
    page = phone
    page.goto(f"{site}/healthz?before=1")
    page.goto(f"{site}/refer/")
    tab_to(page, "#quick-exit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/healthz?left=1")
    page.go_back()
    assert "before=1" in page.url


def test_the_exit_link_works_without_javascript(site, chromium):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(f"{site}/refer/")
    page.click("#quick-exit")
    page.wait_for_url("**/healthz?left=1")
    context.close()


def test_the_whole_form_works_without_javascript(site, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/refer/")
    page.fill("#id_about-preferred_name", "Kasia")
    page.select_option("#id_about-age_range", "35_44")
    page.click("text=Continue")
    page.click("text=Continue")
    page.click("text=Continue")
    page.check("input[name='support-safe_now'][value='no']")
    page.click("text=Continue")
    # Without JavaScript the emergency options come first on the next page.
    assert page.locator("main > .emergency-panel").is_visible()
    for _ in ("health", "family", "groups"):
        page.click("text=Continue")
    page.check("#id_agreement-consent_to_store")
    page.click("text=Continue")
    page.click("button:has-text('Send')")
    assert page.title().startswith("Sent")
    assert Referral.objects.get().priority == Priority.SAFEGUARDING
    context.close()


def test_answering_not_safe_shows_emergency_options_at_once(site, phone):
    page = phone
    page.goto(f"{site}/refer/")
    page.fill("#id_about-preferred_name", "Jas")
    page.select_option("#id_about-age_range", "25_34")
    for _ in ("about", "contact", "times"):
        with page.expect_navigation():
            page.click("text=Continue")
    panel = page.locator("#emergency-now")
    assert not panel.is_visible()
    page.check("input[name='support-safe_now'][value='no']")
    assert panel.is_visible()
    # It moves to the top of the page, before the heading, and is announced.
    assert page.evaluate("document.querySelector('main').firstElementChild.id === 'emergency-now'")
    assert panel.get_attribute("role") == "alert"
    page.check("input[name='support-safe_now'][value='yes']")
    assert not panel.is_visible()
