"""Spam and abuse protection on the referral forms, and codes that can be read aloud."""

import time

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from referrals.models import Referral
from referrals.rules.reference import (
    ALPHABET,
    AMBIGUOUS,
    CODE_LENGTH,
    format_reference_code,
    is_reference_code,
    new_reference_code,
    spell_reference_code,
)
from referrals.services.intake import save_with_unique_reference
from tests.support.factories import ReferralFactory, TeamFactory
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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_team(settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    settings.REFERRAL_SUBMIT_RATE = "1000/h"  # the rate-limit test sets its own
    return TeamFactory(name="Default", postcode_districts=["B12"], is_default=True)


def fill_all_but_check(client, wizard=SELF, steps=SELF_STEPS, overrides=None):
    complete(client, wizard, steps[:-1], overrides)


def test_a_filled_honeypot_is_dropped_quietly(client):
    fill_all_but_check(client, overrides={"about": {"website": "http://spam.example"}})
    response = post_step(client, SELF, "check", {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thank you" in html
    assert "Reference" not in html  # nothing that looks like a failure or a code
    assert not Referral.objects.exists()


def test_the_honeypot_is_hidden_from_people(client, settings):
    html = client.get(step_url(SELF, "about")).content.decode()
    assert 'name="about-website"' in html
    assert 'tabindex="-1"' in html
    css = (settings.BASE_DIR / "static/css/haven.css").read_text()
    assert '[id$="-website"]' in css


def test_too_fast_a_submission_is_asked_to_confirm_and_keeps_everything(client, settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 3600
    client.get(step_url(SELF, "about"))
    fill_all_but_check(client)
    response = post_step(client, SELF, "check", {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please check, then send again" in html
    assert "Jas" in html  # her answers are still listed
    assert not Referral.objects.exists()
    # Pressing Send again goes through.
    response = post_step(client, SELF, "check", {})
    assert response["Location"] == reverse("public:referral_confirmation")
    assert Referral.objects.count() == 1


def test_a_person_who_took_their_time_is_not_asked_to_confirm(client, settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 1
    client.get(step_url(SELF, "about"))
    fill_all_but_check(client)
    time.sleep(1.1)
    response = post_step(client, SELF, "check", {})
    assert response["Location"] == reverse("public:referral_confirmation")


def test_rate_limit_shows_a_kind_message_and_keeps_her_answers(client, settings):
    settings.REFERRAL_SUBMIT_RATE = "1/h"
    complete(client, SELF, SELF_STEPS)
    assert Referral.objects.count() == 1
    fill_all_but_check(client)
    response = post_step(client, SELF, "check", {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We could not send this yet" in html
    assert "Your answers are kept" in html
    assert "07911 123456" in html
    assert Referral.objects.count() == 1
    # When the limit has passed (here: raised), Send works with the kept answers.
    settings.REFERRAL_SUBMIT_RATE = "100/h"
    response = post_step(client, SELF, "check", {})
    assert response["Location"] == reverse("public:referral_confirmation")
    assert Referral.objects.count() == 2


def test_a_professional_refers_a_woman_with_her_consent(client, default_team):
    overrides = {"agreement": {"referrer_confirmed_consent": "on"}}
    response = complete(client, PROFESSIONAL, PROFESSIONAL_STEPS, overrides)
    assert response["Location"] == reverse("public:referral_confirmation")
    referral = Referral.objects.get()
    assert referral.source == "professional"
    assert referral.referrer_organisation == "Moseley Road Surgery"
    assert referral.referrer_phone == "+441214960001"
    assert referral.referrer_confirmed_consent is True
    assert referral.team == default_team
    html = client.get(reverse("public:referral_confirmation")).content.decode()
    assert "Referral sent" in html
    assert referral.display_reference in html


def test_a_professional_must_confirm_she_consented(client):
    for step in PROFESSIONAL_STEPS[:4]:
        post_step(client, PROFESSIONAL, step)
    response = post_step(client, PROFESSIONAL, "agreement")
    assert response.status_code == 200
    assert "only accept a referral she has agreed to" in response.content.decode()


def test_professional_honeypot_is_dropped_quietly(client):
    overrides = {
        "referrer": {"website": "x"},
        "agreement": {"referrer_confirmed_consent": "on"},
    }
    complete(client, PROFESSIONAL, PROFESSIONAL_STEPS[:-1], overrides)
    response = post_step(client, PROFESSIONAL, "check", {})
    assert response.status_code == 200
    assert not Referral.objects.exists()


# --- fuzzing: any text, in any field, never a server error -------------------------------
unicode_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.sampled_from(
    [
        "مرحبا بكم، أنا بحاجة إلى مساعدة",  # right-to-left
        "میں مدد چاہتی ہوں",  # Urdu
        "💜🙏🏽👩‍👧‍👦",
        "\u202egnp.exe",  # right-to-left override
        "\x00null byte",
        "'; DROP TABLE referrals_referral; --",
        "<img src=x onerror=alert(1)>",
        "9" * 5000,
    ]
)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(step=st.sampled_from(SELF_STEPS[:-1]), text=unicode_text, data=st.data())
def test_any_text_in_any_field_never_causes_a_server_error(client, step, text, data):
    fields = list(VALID_ANSWERS[step])
    chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
    answers = {**VALID_ANSWERS[step], **dict.fromkeys(chosen, text)}
    response = post_step(client, SELF, step, answers)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.content.decode()
        assert "<script>alert" not in page
        assert "onerror=alert(1)>" not in page


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=unicode_text.filter(lambda t: 0 < len(t.strip()) <= 80 and "\x00" not in t))
def test_any_preferred_name_survives_the_whole_journey(client, name):
    client.cookies.clear()
    complete(client, SELF, SELF_STEPS, {"about": {"preferred_name": name}})
    referral = Referral.objects.latest("pk")
    assert referral.preferred_name == name.strip()


# --- reference codes ----------------------------------------------------------------------
def test_reference_codes_are_unique_across_ten_thousand_referrals(default_team):
    Referral.objects.bulk_create(ReferralFactory.build_batch(10_000, team=default_team), 2000)
    codes = list(Referral.objects.values_list("reference", flat=True))
    assert len(codes) == len(set(codes)) == 10_000
    assert all(is_reference_code(code) for code in codes)
    assert not set("".join(codes)) & set(AMBIGUOUS)


def test_reference_codes_use_only_unambiguous_characters():
    assert len(ALPHABET) == len(set(ALPHABET)) == 23
    assert not set(ALPHABET) & set(AMBIGUOUS)
    codes = {new_reference_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert set("".join(codes)) == set(ALPHABET)  # every character is used
    assert all(len(code) == CODE_LENGTH for code in codes)


def test_reference_codes_read_aloud():
    assert format_reference_code("K7MP4QXR") == "K7MP 4QXR"
    assert spell_reference_code("KAMP4QXR") == "Kilo Alpha Mike Papa, four Quebec X-ray Romeo"
    assert is_reference_code(" kamp-4qxr ")
    assert not is_reference_code("KAMP4QX0")


def test_a_clashing_reference_is_replaced_not_failed(default_team, monkeypatch):
    existing = ReferralFactory(team=default_team)
    fresh = ReferralFactory.build(team=default_team, reference=existing.reference)
    monkeypatch.setattr("referrals.services.intake.new_reference_code", lambda: "ACDEFGHJ")
    save_with_unique_reference(fresh)
    fresh.refresh_from_db()
    assert fresh.reference == "ACDEFGHJ"
