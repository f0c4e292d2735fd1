"""Subject access: the data-protection role's complete, readable copy (HTML, printable) and
JSON of everything held about one woman, with nothing of anyone else's; produced for a named
request with a reason, marked as a subject access copy, audited; hidden from everyone else,
service admins included."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEvent
from dataprotection import inventory
from dataprotection.services import anonymise_case
from tests.support.dataprotection_world import HER_SECRETS, OTHER_SECRETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    """The data-protection world, after her keyworker opened her case."""
    # Her keyworker opened her case: the export says who viewed her record.
    browser = Client()
    browser.force_login(world["keyworker"])
    assert browser.get(reverse("referrals:case_detail", args=[world["her"].pk])).status_code == 200
    return world


REQUEST = {"request_reference": "SAR-2026-014", "reason": "She asked in writing on 3 March."}


def export(client, world, format="html", **request):
    client.force_login(world["dpo"])
    response = client.post(
        reverse("dataprotection:subject_access", args=[world["her"].pk]),
        {**REQUEST, "format": format, **request},
    )
    assert response.status_code == 200
    return response


def test_the_readable_export_holds_every_item_seeded_for_her_and_nothing_of_another_woman(
    client, world
):
    html = export(client, world).content.decode()
    for secret in HER_SECRETS:
        assert secret in html, secret
    for secret in OTHER_SECRETS:
        assert secret not in html, secret
    # Programme, venue, children, reminders, viewers and the field history are all there.
    session = world["session"]
    for expected in (session.programme.name, session.venue.name, "ages 4", "Text message (SMS)",
                     "Attended", "Confirmed", "Kay Worker",
                     "Viewed case", "Referral update", "phone"):  # fmt: skip
        assert expected in html, expected


def test_restricted_notes_are_marked_for_review_before_release(client, world):
    html = export(client, world).content.decode()
    restricted = re.search(r'<article class="sa-note sa-restricted">(.*?)</article>', html, re.S)
    assert restricted is not None
    assert "Restricted — review before release" in restricted.group(1)
    assert "Zofia-restricted-note" in restricted.group(1)
    open_note = re.search(r'<article class="sa-note">(.*?)</article>', html, re.S).group(1)
    assert "Zofia-open-note" in open_note
    assert "Restricted" not in open_note


def test_the_json_export_mirrors_it_and_downloads(client, world):
    response = export(client, world, "json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{world["her"].reference}.json"'
    )
    body = response.content.decode()
    for secret in HER_SECRETS:
        assert secret in body, secret
    for secret in OTHER_SECRETS:
        assert secret not in body, secret
    record = json.loads(body)
    assert {item["name"] for item in record["referral"] + record["contact_preferences"]} == {
        f.name for f in type(world["her"])._meta.concrete_fields if f.name != "id"
    }
    assert [note["restricted"] for note in record["notes"]] == [False, True]
    assert len(record["bookings"]) == 2
    assert all("reminders" in booking for booking in record["bookings"])
    assert {"by": "Kay Worker", "action": "Viewed case"} in [
        {"by": event["by"], "action": event["action"]} for event in record["audit_trail"]
    ]
    assert record["subject_access_copy"]["request_reference"] == "SAR-2026-014"
    assert record["subject_access_copy"]["produced_by"] == "Dee Officer"


def test_the_readable_copy_is_marked_with_its_request(client, world):
    html = export(client, world).content.decode()
    assert "Subject access copy for request SAR-2026-014" in html
    assert "produced by Dee Officer" in html


def test_the_copy_is_produced_only_for_a_request_with_a_reason(client, world):
    client.force_login(world["dpo"])
    url = reverse("dataprotection:subject_access", args=[world["her"].pk])
    before = AuditEvent.objects.count()
    page = client.get(url)
    assert page.status_code == 200
    for secret in HER_SECRETS:
        assert secret not in page.text, secret
    for data, message in [
        ({"format": "html"}, "This field is required"),
        ({**REQUEST, "reason": "Zofianame asked for it", "format": "html"}, "must not name her"),
        ({**REQUEST, "request_reference": "zofia@example.org", "format": "json"}, "must not name"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in response.text
        assert "Zofia-open-note" not in response.text
        if data.get("request_reference"):
            assert f'value="{data["request_reference"]}"' in response.text  # kept
    assert AuditEvent.objects.count() == before


def test_every_model_about_her_is_in_the_export(client, world):
    """A new model about her (one the inventory reaches her from) must be added to the
    export: this names the sections that cover each."""
    covered = {
        "referrals.Referral": "referral",
        "referrals.StatusChange": "status_changes",
        "referrals.ContactAttempt": "contact_attempts",
        "referrals.CaseNote": "notes",
        "core.AuditEvent": "audit_trail",
        "sessions_booking.Booking": "bookings",
        "sessions_booking.Reminder": "bookings",
        "sessions_booking.BookedChild": "bookings",
        # Only a hash of her link is kept: there is nothing readable to give her.
        "sessions_booking.BookingLink": None,
        "partners.SupportNeed": "support_needs",
        "partners.OnwardReferral": "partner_referrals",
        "partners.OnwardReferralStep": "partner_referrals",
        "partners.RiskAssessment": "risk_assessments",
    }
    about_her = {m.label for m in inventory.models_about_her() if m.tracks is None}
    assert about_her == set(covered)
    record = json.loads(export(client, world, "json").content)
    for section in filter(None, covered.values()):
        assert record[section], section
    tracked = {m.tracks.__name__ for m in inventory.models_about_her() if m.tracks is not None}
    shown = {row["what"].split()[0] for row in record["field_history"]}
    # (Reminders' history is kept only when their status changes; none did here.)
    assert shown == tracked - {"Reminder"}


def test_each_export_is_audited_with_its_format(client, world):
    before = AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS).count()
    export(client, world)
    export(client, world, "json", request_reference="SAR-2026-015")
    events = AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS).order_by("pk")
    assert events.count() == before + 2
    assert [(e.actor, e.referral, e.detail) for e in events] == [
        (world["dpo"], world["her"], {**REQUEST, "format": "html"}),
        (world["dpo"], world["her"], {**REQUEST, "request_reference": "SAR-2026-015",
                                      "format": "json"}),
    ]  # fmt: skip


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["keyworker", "lead", "admin"])
def test_staff_without_the_data_protection_role_get_404_and_nothing_is_audited(
    client, world, who, method
):
    """Service admins included: they run the service, they do not read her details."""
    client.force_login(world[who])
    before = AuditEvent.objects.count()
    url = reverse("dataprotection:subject_access", args=[world["her"].pk])
    response = getattr(client, method)(url, {**REQUEST, "format": "json"})
    assert response.status_code == 404
    assert "Zofia" not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("dataprotection:subject_access", args=[world["her"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_export_of_an_anonymised_case_says_so_and_holds_nothing_of_hers(client, world):
    anonymise_case(referral_id=world["her"].pk, because="closed_case")
    html = export(client, world).content.decode()
    assert "Her personal data was removed on" in html
    for secret in HER_SECRETS:
        assert secret not in html, secret


def test_the_export_page_is_printable_without_inline_code(client, world):
    response = export(client, world)
    html = response.content.decode()
    assert "/static/css/dataprotection.css" in html
    assert not re.search(r"<style\b|\sstyle=\"|\son[a-z]+=\"", html)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag
    assert "unsafe-inline" not in response["Content-Security-Policy"]
