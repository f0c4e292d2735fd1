"""Safe contact that cannot mislead her, and a professional form worded for the referrer,
in every language of the public pages:

- text messages marked safe with a landline are refused (UK mobiles only), the number kept;
- with no safe way ticked, the check page says before she sends that we will not be able to
  contact her and gives the number to call; the confirmation says the same;
- a date of birth that contradicts the age range is refused, asking which is right;
- the professional form asks about her in the third person, names each field in its error,
  and its confirmation speaks to the referrer;
- "What would help" is three steps; answers survive Back, a language switch and an error.
"""

import html
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from referrals.models import Referral
from tests.support.referral_journey import (
    PROFESSIONAL,
    PROFESSIONAL_STEPS,
    SELF,
    SELF_STEPS,
    VALID_ANSWERS,
    complete,
    post_step,
    step_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_form_team")]

LANGUAGES = ["en-gb", "pl", "ro", "ur", "pa", "bn"]
PROFESSIONAL_CONSENT = {"agreement": {"referrer_confirmed_consent": "on"}}
SMS_NEEDS_A_MOBILE = (
    "Text messages can only go to a UK mobile number, starting 07. Enter a mobile number, or "
    "untick text messages: we keep this number for calls."
)
AGE_RANGE_CONTRADICTS = (
    "The date of birth gives an age of %(age)s, which is not in the age range “%(range)s”. "
    "Which is right? Correct the date of birth or the age range, or leave the date of birth "
    "empty."
)
NO_CHANNEL = {"safe_channels": [], "phone": "", "email": "", "may_name_service": "no"}


def translated(language: str, message: str) -> str:
    with translation.override(language):
        text = gettext(message)
    if language != "en-gb":
        assert text != message, f"{language}: not translated: {message}"
    return text


def shown(response) -> str:
    return html.unescape(response.content.decode())


def text_of(response) -> str:
    """The page's text without its markup (a phone number sits in its own <bdi>)."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def post_in(language, client, wizard, step, answers=None, goto=None):
    with translation.override(language):
        return post_step(client, wizard, step, answers, goto)


def get_in(language, client, wizard, step):
    with translation.override(language):
        return client.get(step_url(wizard, step))


# --- text messages need a UK mobile number --------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_messages_to_a_landline_are_refused_and_the_number_kept(client, language):
    post_in(language, client, SELF, "about")
    answers = {**VALID_ANSWERS["contact"], "safe_channels": ["sms"], "phone": "0121 496 0123"}
    response = post_in(language, client, SELF, "contact", answers)
    assert response.status_code == 200
    message = translated(language, SMS_NEEDS_A_MOBILE)
    assert list(response.context["form"].errors) == ["phone"]
    page = shown(response)
    assert text_of(response).count(message) == 2  # in the error summary and by the field
    assert 'value="0121 496 0123"' in page  # kept as she typed it


@pytest.mark.parametrize(
    ("channels", "phone"),
    [
        (["call", "voicemail"], "0121 496 0123"),
        (["sms"], "07911 123456"),
        (["sms"], "+447911123456"),
    ],
)
def test_a_landline_for_calls_and_a_mobile_for_texts_are_accepted(client, channels, phone):
    post_step(client, SELF, "about")
    answers = {**VALID_ANSWERS["contact"], "safe_channels": channels, "phone": phone}
    assert post_step(client, SELF, "contact", answers).status_code == 302


# --- no safe way to contact her -------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_with_no_safe_channel_she_is_told_before_she_sends_and_on_the_confirmation(
    client, language, settings
):
    for step in SELF_STEPS[:-1]:
        answers = {**VALID_ANSWERS[step], **(NO_CHANNEL if step == "contact" else {})}
        assert post_in(language, client, SELF, step, answers).status_code == 302
    check = shown(get_in(language, client, SELF, "check"))
    assert 'id="no-safe-channel"' in check
    assert translated(language, "We will not be able to contact you") in check
    warning = check.split('id="no-safe-channel"')[1].split("</div>")[0]
    assert settings.SERVICE_PHONE in warning
    # The confirmation says the same, with her reference and the number.
    sent = post_in(language, client, SELF, "check", {})
    assert sent.status_code == 302
    with translation.override(language):
        confirmation = text_of(client.get(reverse("public:referral_confirmation")))
    told = translated(
        language,
        "You told us there is no safe way to contact you, so we will not contact you. When it "
        "is safe, call us on %(SERVICE_PHONE)s and quote your reference.",
    ) % {"SERVICE_PHONE": settings.SERVICE_PHONE}
    assert told in confirmation
    assert Referral.objects.get().display_reference in confirmation
    assert translated(language, "within 2 working days") not in confirmation


def test_with_a_safe_channel_the_check_page_has_no_such_warning(client):
    for step in SELF_STEPS[:-1]:
        post_step(client, SELF, step)
    assert 'id="no-safe-channel"' not in shown(client.get(step_url(SELF, "check")))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_referrer_who_ticks_no_safe_channel_is_told_in_words_about_her(
    client, language, settings
):
    for step in PROFESSIONAL_STEPS[:-1]:
        answers = {
            **VALID_ANSWERS[step],
            **PROFESSIONAL_CONSENT.get(step, {}),
            **(NO_CHANNEL if step == "contact" else {}),
        }
        assert post_in(language, client, PROFESSIONAL, step, answers).status_code == 302
    check = shown(get_in(language, client, PROFESSIONAL, "check"))
    assert translated(language, "We will not be able to contact her") in check
    post_in(language, client, PROFESSIONAL, "check", {})
    with translation.override(language):
        confirmation = text_of(client.get(reverse("public:referral_confirmation")))
    told = translated(
        language,
        "You told us there is no safe way to contact her, so we will not be able to contact "
        "her. When it is safe, she can call us on %(SERVICE_PHONE)s and quote this reference.",
    ) % {"SERVICE_PHONE": settings.SERVICE_PHONE}
    assert told in confirmation


# --- a date of birth and an age range that disagree -----------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_of_birth_that_contradicts_the_age_range_is_refused(client, language):
    answers = {**VALID_ANSWERS["about"], "date_of_birth": "1990-03-27", "age_range": "18_24"}
    with time_machine.travel(date(2026, 12, 3), tick=False):
        response = post_in(language, client, SELF, "about", answers)
    assert response.status_code == 200
    with translation.override(language):
        expected = translated(language, AGE_RANGE_CONTRADICTS) % {
            "age": 36,
            "range": gettext("18 to 24"),
        }
    assert list(response.context["form"].errors) == ["age_range"]
    assert text_of(response).count(expected) == 2  # in the error summary and by the field
    page = shown(response)
    assert 'value="1990-03-27"' in page  # both answers kept as she gave them
    assert 'value="18_24" selected' in page


@pytest.mark.parametrize(
    ("born", "age_range"),
    [("1990-03-27", "35_44"), ("1990-12-04", "35_44"), ("1990-12-03", "35_44"), ("", "18_24")],
)
def test_a_date_of_birth_in_the_age_range_is_accepted(client, born, age_range):
    """36 on 3 December 2026 if born on 27 March or 3 December 1990; 35 if born on 4 December."""
    answers = {**VALID_ANSWERS["about"], "date_of_birth": born, "age_range": age_range}
    with time_machine.travel(date(2026, 12, 3), tick=False):
        assert post_step(client, SELF, "about", answers).status_code == 302


def test_a_birthday_tomorrow_puts_her_in_the_younger_range():
    from referrals.rules.validation import age_on, age_range_of

    assert age_on(date(1991, 12, 4), date(2026, 12, 3)) == 34
    assert age_range_of(34) == "25_34"
    assert age_range_of(35) == "35_44"
    assert age_range_of(17) == "under_18"
    assert age_range_of(18) == "18_24"
    assert age_range_of(90) == "65_plus"


# --- the professional form, worded for the referrer -----------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_empty_referrer_step_names_each_field_in_its_error(client, language):
    response = post_in(language, client, PROFESSIONAL, "referrer", {})
    expected = {
        "referrer_name": "Enter your name.",
        "referrer_organisation": "Enter your organisation.",
        "referrer_role": "Enter your role.",
        "referrer_phone": "Enter your phone number.",
        "referrer_email": "Enter your work email address.",
        "referrer_relationship": "Say how you know her.",
    }
    assert set(response.context["form"].errors) == set(expected)
    page = text_of(response)
    for message in expected.values():
        assert page.count(translated(language, message)) == 2  # summary, and by the field
    summary = shown(response).split('class="error-summary')[1].split("</ul>")[0]
    for name, message in expected.items():
        assert f'href="#id_referrer-{name}"' in summary
        assert translated(language, message) in summary
    assert translated(language, "Please answer this question.") not in summary


THIRD_PERSON = {
    "about": ("What would she like us to call her?", "What would you like us to call you?"),
    "contact": (
        "Which ways are safe for us to contact her?",
        "Which ways are safe for us to contact you?",
    ),
    "support": ("Is she safe right now?", "Are you safe right now?"),
    "health": ("Is she pregnant?", "Are you pregnant?"),
    "family": (
        "Would she need childcare to come to a group?",
        "Would you need childcare to come to a group?",
    ),
    "groups": ("Would she like an interpreter?", "Would you like an interpreter?"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_professional_form_asks_about_her_and_the_self_referral_asks_her(client, language):
    for step, (about_her, to_her) in THIRD_PERSON.items():
        professional = shown(get_in(language, client, PROFESSIONAL, step))
        assert translated(language, about_her) in professional, step
        assert translated(language, to_her) not in professional, step
        own = shown(get_in(language, client, SELF, step))
        assert translated(language, to_her) in own, step
        assert translated(language, about_her) not in own, step
    agreement = shown(get_in(language, client, PROFESSIONAL, "agreement"))
    assert translated(language, "About her") in shown(
        get_in(language, client, PROFESSIONAL, "about")
    )
    assert "I agree" not in agreement
    from referrals.rules.consent import consent_wording

    with translation.override(language):
        assert str(consent_wording("store_referrer")) in agreement
        assert str(consent_wording("store")) not in agreement


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_referrers_errors_about_her_age_are_worded_about_her(client, language):
    post_in(language, client, PROFESSIONAL, "referrer", VALID_ANSWERS["referrer"])
    answers = {**VALID_ANSWERS["about"], "age_range": ""}
    page = text_of(post_in(language, client, PROFESSIONAL, "about", answers))
    assert page.count(translated(language, "Give her date of birth or choose an age range.")) == 2
    answers = {**VALID_ANSWERS["about"], "date_of_birth": "1890-01-01"}
    page = text_of(post_in(language, client, PROFESSIONAL, "about", answers))
    assert page.count(translated(language, "Check the year of her date of birth.")) == 2
    own = text_of(post_in(language, client, SELF, "about", answers))
    assert translated(language, "Check the year of your date of birth.") in own


def test_the_referrers_check_page_and_confirmation_speak_to_the_referrer(client):
    complete(client, PROFESSIONAL, PROFESSIONAL_STEPS[:-1], PROFESSIONAL_CONSENT)
    check = shown(client.get(step_url(PROFESSIONAL, "check")))
    for title in ("About her", "Keeping her safe", "Her health", "Children and coming to groups"):
        assert title in check
    assert "What would she like us to call her?" in check
    post_step(client, PROFESSIONAL, "check", {})
    confirmation = shown(client.get(reverse("public:referral_confirmation")))
    assert "will contact her" in confirmation
    assert "you said are safe for her" in confirmation
    assert "will contact you" not in confirmation
    assert Referral.objects.get().preferred_name == VALID_ANSWERS["about"]["preferred_name"]


# --- "What would help" in three steps -------------------------------------------------------


def test_what_would_help_is_three_steps_each_with_its_own_questions():
    from referrals.views.public import ProfessionalReferralWizard, SelfReferralWizard

    steps = dict(SelfReferralWizard.form_list)
    assert list(steps) == SELF_STEPS
    assert list(dict(ProfessionalReferralWizard.form_list)) == PROFESSIONAL_STEPS
    parts = ("contact", "times", "support", "health", "family", "groups")
    questions = [set(steps[step].base_fields) for step in parts]
    assert all(len(fields) <= 6 for fields in questions)
    assert sum(len(fields) for fields in questions) == len(set().union(*questions)) == 29


@pytest.mark.parametrize("language", ["pl", "ur"])
def test_a_language_switch_on_a_new_step_keeps_what_she_typed(client, language):
    for step in ("about", "contact", "times", "support", "health"):
        post_step(client, SELF, step)
    payload = {
        f"{SELF['prefix']}-current_step": "family",
        "family-children_count": "1",
        "family-children_ages": "4",
        "family-children_at_risk": "no",
        "switch_language": language,
    }
    response = client.post(step_url(SELF, "family"), payload)
    with translation.override(language):
        assert response["Location"] == step_url(SELF, "family")
    page = shown(client.get(response["Location"]))
    assert 'value="4"' in page
    assert re.search(r'id="id_family-children_at_risk_1"[^>]*checked', page)


def test_an_error_on_a_new_step_keeps_every_answer(client):
    for step in ("about", "contact", "times", "support", "health"):
        post_step(client, SELF, step)
    answers = {**VALID_ANSWERS["family"], "children_ages": "3, 6 and 9"}
    response = post_step(client, SELF, "family", answers)
    assert response.status_code == 200
    assert "children_ages" in response.context["form"].errors
    page = shown(response)
    assert 'value="3, 6 and 9"' in page
    assert 'value="2"' in page
    answers = {**VALID_ANSWERS["groups"], "preferred_language": "other"}
    post_step(client, SELF, "family")
    response = post_step(client, SELF, "groups", answers)
    assert "preferred_language_other" in response.context["form"].errors
    assert VALID_ANSWERS["groups"]["anything_else"] in shown(response)
