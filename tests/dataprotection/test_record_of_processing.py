"""The record of processing is generated from the inventory, and the inventory must
classify every stored field of every model: a new field fails here until someone says
whether it is personal, why it is kept, for how long and who sees it."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from core.permissions import Role
from dataprotection import inventory
from tests.support.factories import TeamFactory, UserFactory, enable_mfa

pytestmark = pytest.mark.django_db


def test_every_field_of_every_model_is_classified():
    assert inventory.unclassified() == []
    counted = sum(len(inventory.model_fields(model)) for model in inventory.models_to_classify())
    assert sum(len(m.fields) for m in inventory.classified_models()) == counted
    assert counted > 250


def test_a_field_missing_from_the_inventory_is_reported(monkeypatch):
    models = dict(inventory.MODELS)
    referral = models["referrals.Referral"]
    fields = dict(referral.fields)
    del fields["code_word"]
    fields["no_longer_there"] = inventory.fact("Gone")
    models["referrals.Referral"] = inventory.ModelUse(
        referral.description, fields, referral.path_to_her
    )
    monkeypatch.setattr(inventory, "MODELS", models)
    problems = inventory.unclassified()
    assert "referrals.Referral.code_word" in problems
    # ...and in its pghistory event model, which is classified from it.
    assert "referrals.ReferralEvent.code_word" in problems
    assert "referrals.Referral.no_longer_there (no such field)" in problems
    with pytest.raises(Exception, match="Classify these"):
        inventory.classified_models()


def test_a_model_missing_from_the_inventory_is_reported(monkeypatch):
    models = {k: v for k, v in inventory.MODELS.items() if k != "sessions_booking.BookingLink"}
    monkeypatch.setattr(inventory, "MODELS", models)
    assert "sessions_booking.BookingLink (the whole model)" in inventory.unclassified()


def test_event_models_are_classified_like_the_models_they_track():
    event = apps.get_model("referrals", "ReferralEvent")
    classified = {m.model: m for m in inventory.classified_models()}[event]
    referral = inventory.MODELS["referrals.Referral"].fields
    assert classified.fields["phone"] == referral["phone"]
    assert classified.fields["pgh_context"].personal is False
    assert "phone" in classified.cleared_fields


def test_every_personal_field_says_why_how_long_and_who_and_can_be_emptied():
    for classified in inventory.classified_models():
        meta = classified.model._meta
        for name, use in classified.personal_fields.items():
            assert all((use.purpose, use.kept, use.seen_by, use.about)), (classified, name)
        for name in classified.cleared_fields:
            if not classified.use.delete_rows:
                inventory.empty_value(meta.get_field(name))  # raises if it cannot be emptied


@pytest.fixture
def people():
    team = TeamFactory(name="North")
    return {
        "admin": enable_mfa(UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True)),
        "keyworker": enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER})),
        "lead": enable_mfa(UserFactory(team=team, roles={Role.TEAM_LEAD})),
        "dpo": enable_mfa(UserFactory(team=None, roles={Role.DATA_PROTECTION})),
    }


def test_the_page_lists_every_personal_field_and_no_other(people):
    browser = Client()
    browser.force_login(people["admin"])
    response = browser.get(reverse("dataprotection:processing"))
    assert response.status_code == 200
    html = response.content.decode()
    listed = set(re.findall(r'data-field="([^"]+)"', html))
    expected = {
        f"{m.label}.{name}" for m in inventory.classified_models() for name in m.personal_fields
    }
    assert listed == expected
    assert "referrals.Referral.phone" in listed
    assert "referrals.Referral.status" not in listed
    assert "6 years after it closed" in html


def test_the_page_follows_the_retention_settings(people, settings):
    settings.RETENTION_CLOSED_YEARS = 8
    browser = Client()
    browser.force_login(people["admin"])
    assert (
        "8 years after it closed"
        in browser.get(reverse("dataprotection:processing")).content.decode()
    )


@pytest.mark.parametrize("page", ["dataprotection:processing", "dataprotection:index"])
@pytest.mark.parametrize("who", ["keyworker", "lead"])
def test_data_protection_pages_are_404_for_staff_without_the_permission(people, page, who):
    browser = Client()
    browser.force_login(people[who])
    assert browser.get(reverse(page)).status_code == 404
    assert browser.post(reverse("dataprotection:run_retention")).status_code == 404


@pytest.mark.parametrize(
    "page", ["dataprotection:processing", "dataprotection:index", "dataprotection:run_retention"]
)
def test_signed_out_visitors_are_sent_to_sign_in(client, page):
    response = (
        client.get(reverse(page))
        if page != "dataprotection:run_retention"
        else client.post(reverse(page))
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_only_holders_of_the_permission_see_the_nav_link(people):
    for who, shown in (("admin", True), ("lead", False), ("keyworker", False)):
        browser = Client()
        browser.force_login(people[who])
        html = browser.get(reverse("home:staff_home")).content.decode()
        assert (reverse("dataprotection:index") in html) is shown, who


def test_pages_need_no_inline_code(people):
    browser = Client()
    browser.force_login(people["admin"])
    for url in (
        reverse("dataprotection:index"),
        reverse("dataprotection:processing"),
        reverse("dataprotection:index") + "?reference=x",
    ):
        response = browser.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"<style\b|\sstyle=\"|\son[a-z]+=\"", html), url
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_data_protection_role_finds_a_case_by_its_reference_to_export_or_erase_it(people):
    from tests.support.factories import ReferralFactory

    case = ReferralFactory(team=people["lead"].team, preferred_name="Findmename")
    browser = Client()
    browser.force_login(people["dpo"])
    found = browser.get(
        reverse("dataprotection:index"), {"reference": case.display_reference.lower()}
    )
    html = found.content.decode()
    assert reverse("dataprotection:subject_access", args=[case.pk]) in html
    assert reverse("dataprotection:erase", args=[case.pk]) in html
    assert "Findmename" not in html  # finding a case shows none of her details
    missing = browser.get(
        reverse("dataprotection:index"), {"reference": "AAAA AAAA"}
    ).content.decode()
    assert "No case has that reference" in missing
    assert reverse("dataprotection:subject_access", args=[case.pk]) not in missing


def test_a_service_admin_sees_retention_but_cannot_look_a_case_up(people):
    from tests.support.factories import ReferralFactory

    case = ReferralFactory(team=people["lead"].team)
    browser = Client()
    browser.force_login(people["admin"])
    html = browser.get(reverse("dataprotection:index"), {"reference": case.display_reference}).text
    assert "Run retention now" in html
    assert 'name="reference"' not in html
    assert reverse("dataprotection:subject_access", args=[case.pk]) not in html
    assert "data protection role" in html
    # And the other way round: the data-protection role does not run retention.
    browser.force_login(people["dpo"])
    html = browser.get(reverse("dataprotection:index")).text
    assert "Run retention now" not in html
    assert browser.post(reverse("dataprotection:run_retention"), {"run": "now"}).status_code == 404
    assert browser.get(reverse("dataprotection:processing")).status_code == 404
