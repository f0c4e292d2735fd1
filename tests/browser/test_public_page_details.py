"""Details of the public pages as Chromium sees them: no failing request
(a favicon of our own), crisis numbers that never break across lines, a honeypot that no
screen reader meets, and no #fragment carried from an error summary link to later pages."""

import pytest

from tests.browser.checks import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def submit(page, label="Continue"):
    with page.expect_navigation():
        page.click(f"form button.btn-primary:has-text('{label}')")


def test_no_public_page_makes_a_failing_request(site, phone):
    failing = []
    phone.on(
        "response",
        lambda response: (
            failing.append((response.status, response.url)) if response.status >= 400 else None
        ),
    )
    for path in ("/", "/refer/", "/ur/refer/", "/refer/professional/"):
        phone.goto(f"{site}{path}")
        phone.wait_for_load_state("networkidle")
    # The browser asked for the icon (from the <link rel="icon">) and got it.
    assert phone.evaluate("document.querySelector('link[rel=icon]').href").endswith("/favicon.ico")
    icon = phone.request.get(f"{site}/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/")
    assert not failing, failing


@pytest.mark.parametrize("width", [360, 320])
def test_each_crisis_number_stays_on_one_line(site, chromium, width):
    context = chromium.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    for path in ("/", "/refer/", "/ur/refer/", "/bn/refer/"):
        page.goto(f"{site}{path}")
        numbers = page.locator("footer a[href^='tel:']")
        assert numbers.count() == 4
        for index in range(numbers.count()):
            # One line box: an inline element broken across lines has a rectangle per line.
            lines = numbers.nth(index).evaluate("a => a.getClientRects().length")
            assert lines == 1, (path, width, numbers.nth(index).inner_text())
    # The emergency panel's number too.
    page.goto(f"{site}/refer/")
    page.fill("#id_about-preferred_name", "Jas")
    page.select_option("#id_about-age_range", "25_34")
    submit(page)
    submit(page)  # contact
    submit(page)  # safe times
    page.check("input[name='support-safe_now'][value='no']")
    number = page.locator("#emergency-now a[href='tel:08082000247']")
    assert number.evaluate("a => a.getClientRects().length") == 1
    context.close()


def test_the_honeypot_is_not_in_the_accessibility_tree(site, phone):
    page = phone
    for path in ("/refer/", "/refer/professional/", "/ur/refer/"):
        page.goto(f"{site}{path}")
        tree = page.locator("body").aria_snapshot()
        assert "Leave this empty" not in tree, path
        urdu = "اسے خالی چھوڑ دیں"
        assert urdu not in tree
        # It is still a field in the page that a bot filling in every input finds ...
        honeypot = page.locator("input[name$='-website']")
        assert honeypot.count() == 1
        assert honeypot.get_attribute("type") == "text"
        # ... out of the Tab order and off the screen.
        assert honeypot.get_attribute("tabindex") == "-1"
        box = honeypot.bounding_box()
        assert box is None or box["x"] + box["width"] <= 0 or box["x"] >= 360
    # The rest of the form is there, with its names.
    page.goto(f"{site}/refer/")
    tree = page.locator("main").aria_snapshot()
    assert "What would you like us to call you?" in tree
    assert_accessible(page, "about, honeypot hidden")


def test_no_address_keeps_an_error_links_fragment_after_it(site, phone):
    page = phone
    page.goto(f"{site}/refer/")
    submit(page)
    page.click("[data-error-summary] a[href='#id_about-preferred_name']")
    assert page.url.endswith("/refer/about/#id_about-preferred_name")
    page.keyboard.type("Jas")
    page.select_option("#id_about-age_range", "25_34")
    addresses = []
    submit(page)
    addresses.append(page.url)
    # An error on the next step, its link followed too, and a language switch.
    page.check("input[name='contact-safe_channels'][value='sms']")
    submit(page)
    addresses.append(page.url)
    page.click("[data-error-summary] a[href='#id_contact-phone']")
    page.keyboard.type("07911 123456")
    with page.expect_navigation():
        page.click("button[name='switch_language'][value='pl']")
    addresses.append(page.url)
    assert "/pl/refer/contact/" in page.url
    submit(page, "Dalej")
    addresses.append(page.url)
    submit(page, "Dalej")  # safe times
    addresses.append(page.url)
    page.check("input[name='support-safe_now'][value='yes']")
    submit(page, "Dalej")
    addresses.append(page.url)
    for _step in ("health", "family", "groups"):
        submit(page, "Dalej")
        addresses.append(page.url)
    page.check("#id_agreement-consent_to_store")
    submit(page, "Dalej")
    addresses.append(page.url)
    assert "/pl/refer/check/" in page.url
    submit(page, "Wyślij")
    addresses.append(page.url)
    assert page.url.endswith("/pl/refer/sent/")
    assert all("#" not in address for address in addresses), addresses
