"""WCAG 2.2 SC 2.4.11 (Focus not obscured): the sticky "Exit this page" bar never covers
what has the keyboard focus, nor the field an error summary link jumps to. Checked in
Chromium on a 360 x 740 phone and at 320 x 256 (a 1280 x 1024 screen zoomed to 400 %),
by comparing the focused element's box with the bar's, at every Tab and Shift+Tab stop of
every public step and after following every error summary link."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.any_day,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = [(360, 740), (320, 256)]

# Where the focused element is, against the bar, once any scrolling has settled.
FOCUS_AGAINST_BAR = """async () => {
    const frame = () => new Promise(r => requestAnimationFrame(() => r()));
    // Wait until nothing has moved for two frames.
    let last = window.scrollY, still = 0;
    for (let i = 0; i < 240 && still < 2; i++) {
        await frame();
        still = window.scrollY === last ? still + 1 : 0;
        last = window.scrollY;
    }
    const element = document.activeElement;
    const bar = document.querySelector("[data-quick-exit-bar]");
    const box = element.getBoundingClientRect();
    const barBox = bar.getBoundingClientRect();
    // Where their boxes overlap, is the bar drawn over the element? (The skip link, for
    // one, is drawn above the bar.) Sampled across the overlap.
    let barOnTop = false;
    const top = Math.max(box.top, barBox.top), bottom = Math.min(box.bottom, barBox.bottom);
    const left = Math.max(box.left, barBox.left), right = Math.min(box.right, barBox.right);
    if (bottom > top && right > left) {
        for (const fx of [0.1, 0.5, 0.9]) {
            for (const fy of [0.1, 0.5, 0.9]) {
                const hit = document.elementFromPoint(
                    left + (right - left) * fx, top + (bottom - top) * fy);
                if (hit && bar.contains(hit) && !element.contains(hit)) { barOnTop = true; }
            }
        }
    }
    return {
        barOnTop,
        what: element.outerHTML.slice(0, 140),
        inBar: bar.contains(element),
        isBody: element === document.body || element.id === "main-content",
        top: box.top, bottom: box.bottom, left: box.left, right: box.right,
        height: box.height,
        barTop: barBox.top, barBottom: barBox.bottom,
        viewport: window.innerHeight,
        scrollY: window.scrollY,
    };
}"""


def assert_focus_not_obscured(page, where):
    seen = page.evaluate(FOCUS_AGAINST_BAR)
    if seen["isBody"] or seen["inBar"] or seen["height"] == 0:
        return seen
    # Where the bar's box overlaps the focused element's box, the bar is not drawn over it
    # (only the skip link, drawn above the bar, may overlap it) ...
    overlap = min(seen["bottom"], seen["barBottom"]) - max(seen["top"], seen["barTop"])
    assert overlap <= 0 or not seen["barOnTop"], (
        f"{where}: the exit bar covers the focused element: {seen}"
    )
    # ... and the element is on the screen, not scrolled out of it.
    assert seen["top"] < seen["viewport"], f"{where}: below the screen: {seen}"
    assert seen["bottom"] > 0, f"{where}: above the screen: {seen}"
    return seen


def tab_through(page, where, key="Tab"):
    """Press ``key`` until the focus comes round to where it started; check every stop."""
    stops = []
    for _ in range(150):
        page.keyboard.press(key)
        assert_focus_not_obscured(page, f"{where} ({key} {len(stops) + 1})")
        identity = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.id || e.name + ':' + (e.value || '') + ':' + e.textContent.slice(0, 30); }"
        )
        if stops and identity == stops[0]:
            return stops
        stops.append(identity)
    raise AssertionError(f"{where}: the Tab order never came round")


def check_every_stop(page, where):
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    forward = tab_through(page, where, "Tab")
    backward = tab_through(page, where, "Shift+Tab")
    assert len(forward) > 3, forward
    assert len(backward) > 3, backward


def follow_every_error_link(page, where):
    links = page.locator("[data-error-summary] a[href^='#']")
    count = links.count()
    assert count, f"{where}: no error summary links"
    for index in range(count):
        page.evaluate("window.scrollTo(0, 0)")
        link = links.nth(index)
        target = link.get_attribute("href")[1:]
        link.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == target, target
        assert_focus_not_obscured(page, f"{where}: error link to #{target}")
        # The field's label (or a group's legend) is on the screen with it.
        label_box = page.evaluate(
            """id => {
                const field = document.getElementById(id);
                const label = field.closest("fieldset")?.querySelector("legend")
                    || document.querySelector(`label[for="${id}"]`);
                const bar = document.querySelector("[data-quick-exit-bar]").getBoundingClientRect();
                const box = label.getBoundingClientRect();
                return {top: box.top, bottom: box.bottom, barBottom: bar.bottom, barTop: bar.top};
            }""",
            target,
        )
        overlap = min(label_box["bottom"], label_box["barBottom"]) - max(
            label_box["top"], label_box["barTop"]
        )
        assert overlap <= 0, f"{where}: the bar covers the label of #{target}: {label_box}"


def submit(page, label="Continue"):
    with page.expect_navigation():
        page.click(f"form button.btn-primary:has-text('{label}')")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nothing_focused_is_hidden_under_the_exit_bar(site, chromium, size):
    width, height = size
    # Reduced motion: Bootstrap then scrolls at once instead of smoothly; where things end up
    # is the same, and each stop need not wait for an animation.
    context = chromium.new_context(
        viewport={"width": width, "height": height}, reduced_motion="reduce"
    )
    page = context.new_page()
    where = f"{width}x{height}"

    page.goto(f"{site}/")
    check_every_stop(page, f"{where} home")

    page.goto(f"{site}/refer/")
    check_every_stop(page, f"{where} about")
    submit(page)
    follow_every_error_link(page, f"{where} about, with errors")
    check_every_stop(page, f"{where} about, with errors")
    page.fill("#id_about-preferred_name", "Jas")
    page.fill("#id_about-date_of_birth", "1990-03-27")
    submit(page)

    page.check("input[name='contact-safe_channels'][value='sms']")
    page.check("input[name='contact-safe_channels'][value='email']")
    page.fill("#id_contact-email", "not an address")
    submit(page)
    follow_every_error_link(page, f"{where} contact, with errors")
    check_every_stop(page, f"{where} contact, with errors")
    page.fill("#id_contact-phone", "07911 123456")
    page.fill("#id_contact-email", "jas@example.org")
    submit(page)

    check_every_stop(page, f"{where} safe times")
    submit(page)

    check_every_stop(page, f"{where} support")
    submit(page)
    follow_every_error_link(page, f"{where} support, with errors")
    page.check("input[name='support-safe_now'][value='yes']")
    submit(page)

    check_every_stop(page, f"{where} health")
    submit(page)

    check_every_stop(page, f"{where} family")
    page.fill("#id_family-children_ages", "seven")
    submit(page)
    follow_every_error_link(page, f"{where} family, with errors")
    page.fill("#id_family-children_ages", "")
    submit(page)

    check_every_stop(page, f"{where} groups")
    submit(page)

    submit(page)
    follow_every_error_link(page, f"{where} agreement, with errors")
    check_every_stop(page, f"{where} agreement, with errors")
    page.check("#id_agreement-consent_to_store")
    submit(page)

    check_every_stop(page, f"{where} check your answers")
    submit(page, "Send")
    check_every_stop(page, f"{where} sent")

    page.goto(f"{site}/refer/professional/")
    submit(page)
    follow_every_error_link(page, f"{where} professional referrer, with errors")
    check_every_stop(page, f"{where} professional referrer, with errors")
    context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_in_urdu_and_on_her_appointment_page_too(site, chromium, size, settings):
    """The bar is taller in some languages (its hint wraps differently), and her reminder's
    link page has the bar too."""
    from sessions_booking.services.booking import book_client
    from sessions_booking.services.links import issue_link
    from tests.support.factories import GroupSessionFactory, ReferralFactory, UserFactory

    width, height = size
    context = chromium.new_context(
        viewport={"width": width, "height": height}, reduced_motion="reduce"
    )
    page = context.new_page()
    where = f"{width}x{height}"
    page.goto(f"{site}/ur/refer/")
    with page.expect_navigation():
        page.click("form button.btn-primary[type=submit]:not([name])")
    follow_every_error_link(page, f"{where} Urdu about, with errors")
    check_every_stop(page, f"{where} Urdu about, with errors")

    settings.SITE_URL = site
    keyworker = UserFactory()
    her = ReferralFactory(assigned_to=keyworker, preferred_language="ur")
    booking = book_client(actor=keyworker, referral=her, session=GroupSessionFactory())
    page.goto(issue_link(booking))
    check_every_stop(page, f"{where} her appointment (Urdu)")
    context.close()
