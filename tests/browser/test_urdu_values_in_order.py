"""In Urdu (right to left) Chromium lays out her phone number, the error's example numbers
and her reference left to right, in the order she typed or must type them: checked on the
rendered text (where each group of digits is drawn), not only on the markup."""

import pytest

from referrals.models import Referral
from tests.browser.checks import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The x position at which each of ``parts`` is drawn, in the first element matching
# ``selector`` whose text holds ``whole``.
DRAWN_AT = """([selector, whole, parts]) => {
    const element = [...document.querySelectorAll(selector)]
        .find(e => e.textContent.includes(whole));
    if (!element) { return null; }
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode()) && !node.data.includes(whole)) {}
    if (!node) { return null; }
    const start = node.data.indexOf(whole);
    let offset = 0;
    return parts.map(part => {
        const at = node.data.indexOf(part, start + offset);
        offset = at - start + part.length;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + part.length);
        return range.getBoundingClientRect().left;
    });
}"""


def assert_left_to_right(page, selector, whole):
    parts = whole.split(" ")
    lefts = page.evaluate(DRAWN_AT, [selector, whole, parts])
    assert lefts, f"{whole!r} is not in one piece of text in {selector}"
    assert lefts == sorted(lefts), (
        f"{whole!r} is drawn out of order: {dict(zip(parts, lefts, strict=True))}"
    )


def submit(page, label="Continue"):
    with page.expect_navigation():
        page.click("form button.btn-primary[type=submit]:not([name])")


def test_her_numbers_read_left_to_right_in_urdu(site, phone):
    page = phone
    page.goto(f"{site}/ur/refer/")
    page.fill("#id_about-preferred_name", "Jas")
    page.fill("#id_about-postcode", "B12 9QL")
    page.select_option("#id_about-age_range", "25_34")
    submit(page)

    page.check("input[name='contact-safe_channels'][value='sms']")
    page.check("input[name='contact-safe_channels'][value='email']")
    page.fill("#id_contact-phone", "not a number")
    page.fill("#id_contact-email", "jas@example.org")
    submit(page)
    # The error's examples, in the summary and beside the field.
    assert_left_to_right(page, "[data-error-summary] li", "07123 456 789")
    assert_left_to_right(page, "[data-error-summary] li", "0121 496 0000")
    assert_left_to_right(page, "#id_contact-phone_error", "07123 456 789")
    # What she types runs left to right in the box too.
    assert page.eval_on_selector("#id_contact-phone", "e => getComputedStyle(e).direction") == (
        "ltr"
    )
    page.fill("#id_contact-phone", "07911 123456")
    submit(page)
    submit(page)  # safe times

    page.check("input[name='support-safe_now'][value='yes']")
    submit(page)
    for _step in ("health", "family", "groups"):
        submit(page)
    page.check("#id_agreement-consent_to_store")
    submit(page)

    # Check your answers.
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert_left_to_right(page, "dd", "07911 123456")
    for value in ("07911 123456", "jas@example.org", "B12"):
        isolated = page.locator("dd bdi[dir='ltr']", has_text=value)
        assert isolated.count() == 1, value
    assert_accessible(page, "Urdu: check your answers")
    submit(page)

    reference = Referral.objects.get().display_reference
    assert_left_to_right(page, ".reference-code", reference)
    assert_accessible(page, "Urdu: sent")
