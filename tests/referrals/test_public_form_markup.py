"""The public form's own field templates (templates/referrals/fields/) keep every piece of
accessibility wiring crispy-forms gave it, and opening the form creates no session."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.urls import reverse

from referrals.models import Referral
from referrals.views.public import STARTED_SALT
from tests.support.pages import Page
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


def described_by(element: dict) -> list[str]:
    return element["attrs"].get("aria-describedby", "").split()


def check_wiring(page: Page, step: str) -> list[dict]:
    """Every control has a label tied to it; a radio or tick box of a group sits in a
    fieldset with a legend; every id named by aria-describedby exists. Returns the
    controls."""
    controls = page.controls(step)
    assert controls, step
    for control in controls:
        ident = control["attrs"].get("id")
        assert ident, control
        assert len(page.labels_for(ident)) == 1, (step, ident)
        grouped = control["attrs"].get("type") in {"radio", "checkbox"} and control["fieldset"]
        if control["attrs"].get("type") == "radio":
            assert grouped, (step, ident)
        owner = control["fieldset"] if grouped else control
        if grouped:
            legends = [e for e in page.elements if e["tag"] == "legend" and e["fieldset"] is owner]
            assert len(legends) == 1, (step, ident)
            assert legends[0]["text"].strip(), (step, ident)
        for described in described_by(owner):
            assert page.by_id(described) is not None, (step, ident, described)
    return controls


@pytest.mark.parametrize(
    ("wizard", "steps"),
    [(SELF, SELF_STEPS[:-1]), (PROFESSIONAL, PROFESSIONAL_STEPS[:-1])],
    ids=["self", "professional"],
)
def test_every_field_of_every_step_has_its_label_hint_and_group_wired(client, wizard, steps):
    for step in steps:
        page = Page(client.get(step_url(wizard, step)).content.decode())
        check_wiring(page, step)
        # A field's hint is named by the input (or its group's fieldset).
        hints = [
            e
            for e in page.elements
            if e["attrs"].get("id", "").endswith("_helptext")
            and e["attrs"]["id"].startswith(f"id_{step}-")
        ]
        for hint in hints:
            field_id = hint["attrs"]["id"].removesuffix("_helptext")
            owner = page.by_id(field_id) or page.by_id(f"{field_id}_0")["fieldset"]
            assert hint["attrs"]["id"] in described_by(owner), (step, field_id)
        post_step(client, wizard, step)


def test_errors_are_summarised_linked_and_announced_on_each_field(client):
    client.get(step_url(SELF, "about"))
    post_step(client, SELF, "about")
    answers = {
        **VALID_ANSWERS["contact"],
        "safe_channels": ["sms", "email"],
        "phone": "",
        "email": "not an email",
        "may_name_service": "",
    }
    html = post_step(client, SELF, "contact", answers).content.decode()
    page = Page(html)
    check_wiring(page, "contact")

    summary = next(e for e in page.elements if "data-error-summary" in e["attrs"])
    links = [
        e["attrs"]["href"]
        for e in page.elements
        if e["tag"] == "a" and "alert-link" in e["attrs"].get("class", "")
    ]
    assert summary["attrs"].get("role") == "alert"
    assert len(links) == 3
    invalid = {"id_contact-phone", "id_contact-email", "id_contact-may_name_service"}
    # Each link leads to the field (a radio group: its first option).
    assert set(links) == {
        "#id_contact-phone",
        "#id_contact-email",
        "#id_contact-may_name_service_0",
    }
    for link in links:
        assert page.by_id(link[1:]) is not None, link
    for field_id in invalid:
        control = page.by_id(field_id) or page.by_id(f"{field_id}_0")
        assert "is-invalid" in control["attrs"]["class"].split(), field_id
        assert control["attrs"].get("aria-invalid") == "true", field_id
        owner = control["fieldset"] or control
        error_id = f"{field_id}_error"
        assert error_id in described_by(owner), field_id
        assert page.by_id(error_id)["text"].strip(), field_id
    # Fields without errors are not marked.
    address = page.by_id("id_contact-postal_address")
    assert "is-invalid" not in address["attrs"]["class"]
    assert "aria-invalid" not in address["attrs"]
    # Nothing she typed is lost, and what she ticked stays ticked.
    assert 'value="not an email"' in html
    assert page.by_id("id_contact-safe_channels_2")["attrs"].get("checked") is not None
    assert page.by_id("id_contact-safe_channels_3")["attrs"].get("checked") is not None


def test_required_fields_are_marked_and_use_bootstrap_classes(client):
    page = Page(client.get(step_url(SELF, "about")).content.decode())
    label = page.labels_for("id_about-preferred_name")[0]
    assert "*" in label["text"]
    preferred = page.by_id("id_about-preferred_name")
    assert preferred["attrs"].get("required") is not None
    assert "form-control" in preferred["attrs"]["class"].split()
    assert "form-select" in page.by_id("id_about-age_range")["attrs"]["class"].split()
    assert page.by_id("div_id_about-website") is not None  # the honeypot, hidden by CSS
    page = Page(client.get(step_url(SELF, "contact")).content.decode())
    radio = page.by_id("id_contact-may_name_service_0")
    assert "form-check-input" in radio["attrs"]["class"].split()
    assert radio["attrs"].get("required") is not None
    legend = next(
        e for e in page.elements if e["tag"] == "legend" and e["fieldset"] is radio["fieldset"]
    )
    assert "*" in legend["text"]


def test_opening_the_form_creates_no_session_until_her_first_answer(client):
    first = client.get(step_url(SELF, "about"))
    assert first.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in first.cookies
    assert not Session.objects.exists()
    # Opening another step's address first, or the form's start, creates none either.
    assert client.get(step_url(SELF, "contact")).status_code == 200
    assert client.get(reverse("public:self_referral")).status_code == 302
    assert not Session.objects.exists()

    answered = post_step(client, SELF, "about")
    assert answered.status_code == 302
    assert settings.SESSION_COOKIE_NAME in answered.cookies
    assert Session.objects.count() == 1
    # The rest of the journey works as before, her answers kept between steps.
    response = complete(client, SELF, SELF_STEPS[1:])
    assert response["Location"] == reverse("public:referral_confirmation")
    referral = Referral.objects.get()
    assert referral.preferred_name == VALID_ANSWERS["about"]["preferred_name"]
    assert referral.display_reference in client.get(response["Location"]).content.decode()


def test_opening_the_form_reads_only_the_areas_list(client, django_assert_num_queries):
    """A new visitor has no session to read or write: one query, the "your area" choices."""
    with django_assert_num_queries(1):
        assert client.get(step_url(SELF, "about")).status_code == 200


def test_a_first_answer_posted_from_a_later_step_is_kept_for_that_step(client):
    client.get(step_url(SELF, "contact"))
    assert post_step(client, SELF, "contact")["Location"] == step_url(SELF, "times")
    html = client.get(step_url(SELF, "contact")).content.decode()
    assert VALID_ANSWERS["contact"]["email"] in html


def started_field(wizard):
    return f"{wizard['prefix']}-started"


def post_first_step(client, started: str):
    payload = {f"{SELF['prefix']}-current_step": "about", started_field(SELF): started}
    payload.update({f"about-{name}": value for name, value in VALID_ANSWERS["about"].items()})
    return client.post(step_url(SELF, "about"), payload)


def send(client):
    complete(client, SELF, SELF_STEPS[1:-1])
    return post_step(client, SELF, "check", {})


def test_the_time_she_opened_the_form_comes_from_the_signed_page(client, settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 60
    html = client.get(step_url(SELF, "about")).content.decode()
    assert f'name="{started_field(SELF)}"' in html
    # Opened two minutes ago (as the page she was given would say): not too fast.
    two_minutes_ago = signing.dumps(time.time() - 120, salt=STARTED_SALT)
    post_first_step(client, two_minutes_ago)
    assert send(client)["Location"] == reverse("public:referral_confirmation")


@pytest.mark.parametrize(
    "started",
    [
        "",
        "1700000000",  # not signed
        signing.dumps(time.time() - 120, salt="another-salt"),
    ],
    ids=["missing", "unsigned", "wrong-salt"],
)
def test_a_missing_or_forged_start_time_counts_from_her_first_answer(client, settings, started):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 60
    post_first_step(client, started)
    response = send(client)
    assert response.status_code == 200
    assert "Please check, then send again" in response.content.decode()
    assert not Referral.objects.exists()
