"""The self-referral in Urdu, in a real browser with only the keyboard: the page is marked
right-to-left and Urdu, its layout is mirrored (labels and inputs on the right, the quick
exit at the top right), and a failed step's error summary is in Urdu and takes the focus."""

import pytest

from referrals.models import Referral
from tests.browser.checks import assert_accessible, press_continue, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ENGLISH_SUMMARY_HEADING = "There is a problem"


def assert_right_to_left(page):
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    width = page.viewport_size["width"]
    # The quick exit sits at the start of its bar: on the right in right-to-left pages.
    exit_box = page.locator("#quick-exit").bounding_box()
    assert exit_box["x"] + exit_box["width"] / 2 > width / 2, exit_box


def assert_labels_and_inputs_on_the_right(page, label, field):
    form_box = page.locator("main form").bounding_box()
    form_right = form_box["x"] + form_box["width"]
    for selector in (label, field):
        box = page.locator(selector).bounding_box()
        # Each starts at the form's right edge (give or take padding) ...
        assert abs(box["x"] + box["width"] - form_right) < 24, (selector, box, form_box)
    # ... and the label's text runs from the right edge.
    label_text_right = page.evaluate(
        """s => { const r = document.createRange();
                  r.selectNodeContents(document.querySelector(s));
                  return r.getBoundingClientRect().right; }""",
        label,
    )
    assert label_text_right > form_right - 24


def test_the_referral_in_urdu_is_right_to_left_with_a_translated_error_summary(
    site, phone, artifacts
):
    page = phone
    page.goto(f"{site}/ur/refer/")
    assert_right_to_left(page)
    page.screenshot(path=artifacts / "referral-urdu-360.png", full_page=True)
    assert_labels_and_inputs_on_the_right(
        page, "label[for='id_about-preferred_name']", "#id_about-preferred_name"
    )
    first_title = page.title()
    assert_accessible(page, "Urdu: about")

    # She presses Continue with nothing filled in: the summary is in Urdu and has the focus.
    press_continue(page)
    assert "/ur/refer/" in page.url
    assert_right_to_left(page)
    summary = page.locator("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    heading = summary.locator("h2").inner_text().strip()
    assert heading
    assert heading != ENGLISH_SUMMARY_HEADING
    assert not heading.isascii(), f"the error summary heading is not in Urdu: {heading!r}"
    assert page.title() != first_title
    assert_accessible(page, "Urdu: about, with errors")
    page.screenshot(path=artifacts / "referral-urdu-errors-360.png", full_page=True)

    # The summary's link takes her to the field she missed.
    tab_to(page, "[data-error-summary] a[href='#id_about-preferred_name']")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_about-preferred_name"
    page.keyboard.type("Jas")
    tab_to(page, "#id_about-age_range")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    press_continue(page)

    titles = {first_title}
    # contact, times, support, health, family, groups, agreement
    for _ in range(7):
        assert "/ur/refer/" in page.url
        assert_right_to_left(page)
        assert page.title() not in titles, "each step has a title of its own"
        titles.add(page.title())
        if page.locator("input[name='support-safe_now']").count():
            tab_to(page, "input[name='support-safe_now']")
            page.keyboard.press("Space")
        if page.locator("#id_agreement-consent_to_store").count():
            tab_to(page, "#id_agreement-consent_to_store")
            page.keyboard.press("Space")
        press_continue(page)

    assert_right_to_left(page)  # check your answers
    press_continue(page)
    assert_right_to_left(page)  # sent
    referral = Referral.objects.get()
    assert referral.preferred_name == "Jas"
    assert referral.display_reference in page.inner_text(".reference-code")
