"""The public form's steps as a 360 x 740 phone shows them: no step
is longer than about two screens, and every new or changed page state passes axe-core.
Heights measured go to test-artifacts/step-heights-360.txt."""

import pytest

from tests.browser.checks import assert_accessible
from tests.browser.public_form import ANSWERS, FORMS, answer
from tests.support.referral_journey import VALID_ANSWERS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.any_day,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREEN = {"width": 360, "height": 740}
# "About two phone screens": 2 x 740 px, and a little for the footer's crisis numbers.
MOST_PIXELS = 1500


def height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def press(page, label="Continue"):
    with page.expect_navigation():
        page.click(f"#referral-form button.btn-primary:has-text('{label}')")


@pytest.mark.parametrize("form", ["self", "professional"])
def test_no_step_is_longer_than_about_two_phone_screens(site, chromium, artifacts, form):
    start, steps = FORMS[form]
    context = chromium.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(f"{site}{start}")
    measured = {}
    for step in steps:
        assert f"/{step}/" in page.url
        measured[step] = height(page)
        assert_accessible(page, f"{form}: {step}")
        if step == "check":
            break
        answer(page, step, ANSWERS[form][step])
        press(page)
    with (artifacts / "step-heights-360.txt").open("a") as report:
        report.write(f"{form}: {measured}\n")
    # Every step of questions; "Check your answers" lists all of them (with a Change button
    # for each step) and is as long as her answers are.
    too_long = {step: px for step, px in measured.items() if px > MOST_PIXELS and step != "check"}
    assert not too_long, f"longer than {MOST_PIXELS} px at 360 px wide: {too_long} ({measured})"
    context.close()


def test_the_new_messages_and_warnings_pass_axe(site, phone):
    page = phone
    page.goto(f"{site}/refer/")
    answer(page, "about", {**VALID_ANSWERS["about"], "date_of_birth": "1990-03-27"})
    page.select_option("#id_about-age_range", "18_24")
    press(page)
    assert page.title().startswith("Error:")
    assert "Which is right?" in page.inner_text("[data-error-summary]")
    assert_accessible(page, "about: date of birth and age range disagree")
    page.select_option("#id_about-age_range", "")
    press(page)

    page.check("input[name='contact-safe_channels'][value='sms']")
    page.fill("#id_contact-phone", "0121 496 0123")
    press(page)
    assert "UK mobile" in page.inner_text("[data-error-summary]")
    assert page.input_value("#id_contact-phone") == "0121 496 0123"
    assert_accessible(page, "contact: text messages to a landline")
    page.uncheck("input[name='contact-safe_channels'][value='sms']")
    press(page)
    for step in ("times", "support", "health", "family", "groups"):
        answer(page, step, VALID_ANSWERS[step])
        press(page)
    page.check("#id_agreement-consent_to_store")
    press(page)
    assert page.locator("#no-safe-channel").is_visible()
    assert_accessible(page, "check: no safe way to contact her")
    press(page, "Send")
    assert "no safe way to contact you" in page.inner_text("main")
    assert_accessible(page, "sent: no safe way to contact her")


def test_the_professional_forms_named_errors_and_confirmation_pass_axe(site, phone):
    page = phone
    page.goto(f"{site}/refer/professional/")
    press(page)
    errors = page.locator("[data-error-summary] a").all_inner_texts()
    assert len(errors) == len(set(errors)) == 6
    assert_accessible(page, "professional: referrer, every field named in its error")
    _start, steps = FORMS["professional"]
    for step in steps[:-1]:
        answer(page, step, ANSWERS["professional"][step])
        press(page)
    press(page, "Send")
    assert "will contact her" in page.inner_text("main")
    assert_accessible(page, "professional: sent")
