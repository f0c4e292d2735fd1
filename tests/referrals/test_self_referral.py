"""The self-referral form, end to end through the Django test client."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from core.permissions import Role
from referrals.choices import Priority, Source, Status
from referrals.models import Referral
from referrals.rules.consent import CONSENT_VERSION
from tests.support.factories import TeamFactory, UserFactory
from tests.support.referral_journey import (
    SELF,
    SELF_STEPS,
    VALID_ANSWERS,
    complete,
    post_step,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def teams(settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    birmingham = TeamFactory(
        name="Birmingham", postcode_districts=["B12"], local_authorities=["Birmingham"]
    )
    stoke = TeamFactory(
        name="Stoke",
        postcode_districts=["ST4"],
        local_authorities=["Stoke-on-Trent"],
        is_default=True,
    )
    return {"birmingham": birmingham, "stoke": stoke}


def test_a_woman_completes_every_step_and_gets_a_reference(client, teams):
    assert client.get(reverse("public:self_referral")).status_code == 302
    first = client.get(step_url(SELF, "about"))
    assert first.status_code == 200
    response = complete(client, SELF, SELF_STEPS)
    assert response["Location"] == reverse("public:referral_confirmation")

    referral = Referral.objects.get()
    assert referral.source == Source.SELF
    assert referral.team == teams["birmingham"]
    assert referral.status == Status.NEW
    assert referral.assigned_to is None
    assert referral.area_postcode_district == "B12"
    assert referral.preferred_name == "Jas"
    assert referral.full_name == "Jasvinder Kaur"
    assert referral.phone == "+447911123456"
    assert referral.safe_channels == ["sms", "email"]
    assert referral.safe_days == [0, 2]
    assert referral.children_ages == [3, 6]
    assert referral.needs_childcare is True
    assert referral.children_at_risk is False
    assert referral.preferred_language == "pa"
    assert referral.needs_interpreter is True
    assert referral.consent_to_store is True
    assert referral.consent_to_share is False
    assert referral.consent_version == CONSENT_VERSION
    assert referral.priority == Priority.ROUTINE

    page = client.get(reverse("public:referral_confirmation"))
    html = page.content.decode()
    assert referral.display_reference in html
    assert "within 2 working days" in html
    for number in ("999", "0808 2000 247", "116 123", "0300 123 6600"):
        assert number in html
    # Shown once: a reload (or someone pressing Back later) no longer shows the code.
    again = client.get(reverse("public:referral_confirmation"))
    assert referral.display_reference not in again.content.decode()


def test_back_and_forth_keeps_every_answer_even_unfinished_ones(client):
    for step in ("about", "contact", "times", "support"):
        post_step(client, SELF, step)
    # Half-way through "Your health", she goes back: what she typed is kept.
    partial = {"substances": ["cocaine"], "pregnant": "prefer_not"}
    response = post_step(client, SELF, "health", partial, goto="times")
    assert response.status_code == 302
    assert response["Location"] == step_url(SELF, "times")
    times_page = client.get(step_url(SELF, "times")).content.decode()
    assert 'value="10:00"' in times_page
    assert "bluebell" in times_page
    # Back on "Your health", her partial answers are there and no errors are shown yet.
    health_page = client.get(step_url(SELF, "health")).content.decode()
    assert re.search(r'value="cocaine"[^>]*checked', health_page)
    assert re.search(r'value="prefer_not"[^>]*checked', health_page)
    assert "There is a problem" not in health_page
    # The same on the next step, about her children, left half-done with Back.
    client.get(step_url(SELF, "family"))
    partial = {"children_count": "1", "children_ages": "4"}
    response = post_step(client, SELF, "family", partial, goto="health")
    assert response["Location"] == step_url(SELF, "health")
    family_page = client.get(step_url(SELF, "family")).content.decode()
    assert 'value="4"' in family_page
    assert "There is a problem" not in family_page


def test_a_validation_error_midway_keeps_every_value_she_typed(client):
    post_step(client, SELF, "about")
    bad = {**VALID_ANSWERS["contact"], "email": "not-an-email", "phone": "0121 496 0123"}
    response = post_step(client, SELF, "contact", bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_contact-email"' in html
    assert 'href="#id_contact-phone"' in html  # text messages need a mobile
    assert "Error:" in html.split("</title>")[0]
    for kept in ('value="0121 496 0123"', 'value="not-an-email"'):
        assert kept in html, kept
    # On the next step, a time error keeps everything else she typed there.
    post_step(client, SELF, "contact")
    bad = {**VALID_ANSWERS["times"], "safe_until": "09:00"}
    html = post_step(client, SELF, "times", bad).content.decode()
    assert 'href="#id_times-safe_until"' in html
    for kept in ('value="10:00"', "bluebell", "the pharmacy"):
        assert kept in html.replace("&#x27;", "'"), kept


def test_contact_details_are_required_for_each_channel_she_marks_safe(client):
    post_step(client, SELF, "about")
    response = post_step(
        client,
        SELF,
        "contact",
        {"safe_channels": ["call", "email", "letter"], "may_name_service": "no"},
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"phone", "email", "postal_address"}


def test_she_may_say_no_channel_is_safe_and_is_told_to_call_us(client):
    contact = {"safe_channels": [], "phone": "", "email": "", "may_name_service": "no"}
    complete(client, SELF, SELF_STEPS, {"contact": contact})
    html = client.get(reverse("public:referral_confirmation")).content.decode()
    assert "no safe way to contact you" in html


def test_not_safe_now_shows_emergency_options_first_and_marks_the_referral(client):
    for step in ("about", "contact", "times"):
        post_step(client, SELF, step)
    support = client.get(step_url(SELF, "support")).content.decode()
    # Present but hidden until she answers; referral-form.js reveals it at once.
    assert re.search(r'id="emergency-now"[^>]*|hidden[^>]*id="emergency-now"', support)
    post_step(client, SELF, "support", {**VALID_ANSWERS["support"], "safe_now": "no"})
    for later in ("health", "family", "groups", "agreement"):  # first on every later step
        next_page = client.get(step_url(SELF, later)).content.decode()
        main = next_page.split('<main id="main-content"')[1]
        assert main.index("If you are in danger now") < main.index("<h1>"), later
        assert "press 55" in main
    complete(client, SELF, ["health", "family", "groups", "agreement", "check"])
    referral = Referral.objects.get()
    assert referral.priority == Priority.SAFEGUARDING
    assert "not safe right now" in " ".join(referral.priority_reasons)
    confirmation = client.get(reverse("public:referral_confirmation")).content.decode()
    assert confirmation.index("If you are in danger now") < confirmation.index("<h1>")
    assert "by the end of the next working day" in confirmation


@pytest.mark.parametrize(
    ("answers", "priority"),
    [
        ({"family": {"children_at_risk": "yes"}}, Priority.SAFEGUARDING),
        ({"health": {"pregnant": "yes"}}, Priority.URGENT),
        ({"support": {"abuse_experience": "current"}}, Priority.URGENT),
        ({}, Priority.ROUTINE),
    ],
)
def test_priority_is_computed_from_her_answers_and_explained(client, answers, priority):
    complete(client, SELF, SELF_STEPS, answers)
    referral = Referral.objects.get()
    assert referral.priority == priority
    assert referral.priority_reasons


def test_an_unknown_area_goes_to_the_default_team(client, teams):
    complete(client, SELF, SELF_STEPS, {"about": {"postcode": "ZE1"}})
    assert Referral.objects.get().team == teams["stoke"]


def test_the_area_list_routes_without_a_postcode(client, teams):
    page = client.get(step_url(SELF, "about")).content.decode()
    assert '<option value="Stoke-on-Trent">' in page
    complete(
        client,
        SELF,
        SELF_STEPS,
        {"about": {"postcode": "", "local_authority": "Stoke-on-Trent"}},
    )
    assert Referral.objects.get().team == teams["stoke"]


def test_check_your_answers_lists_every_section_with_change_buttons(client):
    for step in SELF_STEPS[:-1]:
        post_step(client, SELF, step)
    html = client.get(step_url(SELF, "check")).content.decode()
    for title in (
        "About you",
        "Keeping you safe",
        "Safe times",
        "What would help",
        "Your health",
        "Children and coming to groups",
        "Language and groups",
        "Your agreement",
    ):
        assert title in html
    assert html.count('name="wizard_goto_step"') >= 8
    assert "07911 123456" in html
    assert "Punjabi" in html
    response = post_step(client, SELF, "check", {}, goto="contact")
    assert response["Location"] == step_url(SELF, "contact")


def test_submitting_with_an_unfinished_step_returns_to_it_with_errors(client):
    for step in ("about", "contact", "times"):
        post_step(client, SELF, step)
    post_step(client, SELF, "support", {"housing": "none"}, goto="agreement")
    post_step(client, SELF, "agreement")
    response = post_step(client, SELF, "check", {})
    assert response["Location"] == step_url(SELF, "support")
    page = client.get(step_url(SELF, "support")).content.decode()
    assert "There is a problem" in page
    assert not Referral.objects.exists()


def test_a_get_of_the_done_step_never_submits(client):
    for step in SELF_STEPS[:-1]:
        post_step(client, SELF, step)
    response = client.get(step_url(SELF, "done"))
    assert response["Location"] == step_url(SELF, "check")
    assert not Referral.objects.exists()


def test_consent_to_store_is_required_with_a_clear_message(client):
    for step in SELF_STEPS[:3]:
        post_step(client, SELF, step)
    response = post_step(client, SELF, "agreement", {"consent_to_contact": "on"})
    assert "only take your referral if you agree" in response.content.decode()


def test_html_and_scripts_are_stored_as_text_and_shown_escaped(client):
    name = '<script>alert("x")</script>'
    complete(client, SELF, SELF_STEPS[:-1], {"about": {"preferred_name": name}})
    html = client.get(step_url(SELF, "check")).content.decode()
    assert name not in html
    assert "&lt;script&gt;" in html
    post_step(client, SELF, "check", {})
    assert Referral.objects.get().preferred_name == name


def test_sensitive_answers_are_encrypted_at_rest(client):
    complete(client, SELF, SELF_STEPS)
    referral = Referral.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, phone, email, if_someone_else_answers, code_word, anything_else,"
            " preferred_name, reference FROM referrals_referral WHERE id = %s",
            [referral.pk],
        )
        row = cursor.fetchone()
    stored = " ".join(str(value) for value in row[:6])
    for secret in ("Jasvinder", "7911", "jas@example.org", "pharmacy", "bluebell", "weekday"):
        assert secret not in stored
    # Staff can still search the preferred name and the reference code.
    assert row[6] == "Jas"
    assert row[7] == referral.reference


def test_team_members_are_emailed_a_link_without_personal_details(
    client, teams, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        keyworker = UserFactory(team=teams["birmingham"], roles={Role.KEYWORKER})
        UserFactory(team=teams["stoke"], roles={Role.KEYWORKER})
        with django_capture_on_commit_callbacks(execute=True):
            complete(client, SELF, SELF_STEPS)
    finally:
        app.conf.task_always_eager = False
    to_team = [m for m in mail.outbox if keyworker.email in m.to]
    assert len(to_team) == 1
    body = to_team[0].subject + to_team[0].body
    referral = Referral.objects.get()
    for private in ("Jas", referral.reference, "alcohol", "B12", "Punjabi"):
        assert private not in body
    assert reverse("home:staff_home") in body
