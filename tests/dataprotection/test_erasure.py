"""Erasure on her request: the data-protection role (not service admins as such), with a
reason and the reference typed to confirm, removes her personal data; her future bookings
are cancelled (the waiting list moves up), reminders stop, the case closes, and an ERASED
audit event is the tombstone."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEvent
from referrals.choices import AnonymisedBecause, ClosedReason, Status
from referrals.models import Referral
from sessions_booking.models import Booking, BookingLink, BookingStatus, Reminder, ReminderStatus
from tests.support.dataprotection_world import HER_SECRETS

pytestmark = pytest.mark.django_db
REASON = "She asked in writing on 3 March; no legal reason to keep her data."


def erase_url(world):
    return reverse("dataprotection:erase", args=[world["her"].pk])


def as_admin(client, world):
    """Whoever handles her requests: the data-protection role."""
    client.force_login(world["dpo"])
    return client


def test_erasure_removes_her_data_and_leaves_a_tombstone(client, world):
    her = world["her"]
    response = as_admin(client, world).post(
        erase_url(world), {"reason": REASON, "confirm_reference": her.display_reference.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('dataprotection:index')}?reference={her.reference}"
    her.refresh_from_db()
    assert her.anonymised_because == AnonymisedBecause.ERASURE_REQUEST
    assert (her.preferred_name, her.phone, her.email, her.code_word) == ("", None, None, None)
    assert (her.status, her.closed_reason) == (Status.CLOSED, ClosedReason.DECLINED)
    closing = her.status_changes.last()
    assert (closing.to_status, closing.changed_by) == (Status.CLOSED, world["dpo"])
    assert not her.notes.exists()
    tombstone = AuditEvent.objects.get(action=AuditAction.ERASED)
    assert (tombstone.actor, tombstone.referral) == (world["dpo"], her)
    assert tombstone.detail == {"reason": REASON, "bookings_cancelled": 1}
    details = str(list(AuditEvent.objects.filter(referral=her).values("detail", "ip_address")))
    for secret in HER_SECRETS:
        assert secret not in details
    # The admin's page now shows the case as anonymised, without an erase link.
    page = client.get(response["Location"]).content.decode()
    assert "She asked for her data to be erased" in page
    assert reverse("dataprotection:erase", args=[her.pk]) not in page


def test_her_future_bookings_are_cancelled_and_the_waiting_list_moves_up(client, world):
    as_admin(client, world).post(
        erase_url(world), {"reason": REASON, "confirm_reference": world["her"].reference}
    )
    booking, waiting, attended = (
        Booking.objects.get(pk=world[key].pk) for key in ("booking", "waiting", "attended")
    )
    assert booking.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED  # the other woman got her place
    assert attended.status == BookingStatus.ATTENDED  # attendance stays, for the figures
    assert not Reminder.objects.filter(
        booking__referral=world["her"], status=ReminderStatus.SCHEDULED
    ).exists()
    assert not BookingLink.objects.filter(booking__referral=world["her"]).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.CANCELLED_BOOKING, referral=world["her"]
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": REASON, "confirm_reference": "AAAA AAAA"}, "not this case"),
        ({"reason": "", "confirm_reference": "{ref}"}, "This field is required"),
        ({"reason": "Zofianame asked us to.", "confirm_reference": "{ref}"}, "must not name"),
        ({"reason": "Call her on 07700 900999", "confirm_reference": "{ref}"}, "must not name"),
    ],
)
def test_a_refused_erasure_changes_nothing_and_keeps_what_was_typed(client, world, data, message):
    data = {key: value.format(ref=world["her"].reference) for key, value in data.items()}
    before = AuditEvent.objects.count()
    response = as_admin(client, world).post(erase_url(world), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary' in html
    assert message in html
    assert "<title>Error:" in html
    if data["reason"]:
        assert re.search(r"<textarea[^>]*>\s*" + re.escape(data["reason"]), html)
    assert f'value="{data["confirm_reference"]}"' in html or not data["confirm_reference"]
    her = Referral.objects.get(pk=world["her"].pk)
    assert her.anonymised_at is None
    assert her.preferred_name == "Zofianame"
    assert AuditEvent.objects.count() == before


def test_an_already_anonymised_case_cannot_be_erased_again(client, world):
    data = {"reason": REASON, "confirm_reference": world["her"].reference}
    as_admin(client, world).post(erase_url(world), data)
    page = client.get(erase_url(world))
    assert "already removed" in page.content.decode()
    again = client.post(erase_url(world), data)
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action=AuditAction.ERASED).count() == 1


@pytest.mark.parametrize("who", ["keyworker", "lead"])
def test_staff_without_the_permission_get_404_and_nothing_changes(world, who):
    browser = Client()
    browser.force_login(world[who])
    before = AuditEvent.objects.count()
    data = {"reason": REASON, "confirm_reference": world["her"].reference}
    assert browser.get(erase_url(world)).status_code == 404
    assert browser.post(erase_url(world), data).status_code == 404
    assert Referral.objects.get(pk=world["her"].pk).anonymised_at is None
    assert AuditEvent.objects.count() == before


def test_the_case_page_of_an_erased_case_says_so_and_offers_no_actions(client, world):
    as_admin(client, world).post(
        erase_url(world), {"reason": REASON, "confirm_reference": world["her"].reference}
    )
    lead = Client()
    lead.force_login(world["lead"])
    page = lead.get(reverse("referrals:case_detail", args=[world["her"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anonymised on" in html
    assert "She asked for her data to be erased" in html
    assert "Anonymised case" in html
    assert reverse("referrals:case_add_note", args=[world["her"].pk]) not in html
    refused = lead.post(
        reverse("referrals:case_add_note", args=[world["her"].pk]), {"text": "Hello"}
    )
    assert refused.status_code in (400, 403, 404)
    assert not Referral.objects.get(pk=world["her"].pk).notes.exists()
    # In the team list she shows as anonymised, never as a blank name.
    team_list = lead.get(reverse("home:staff_home"), {"scope": "team", "status": "closed"})
    assert "Anonymised" in team_list.content.decode()


def test_a_service_admin_cannot_erase_without_the_data_protection_role(client, world):
    her = world["her"]
    client.force_login(world["admin"])
    assert client.get(erase_url(world)).status_code == 404
    response = client.post(
        erase_url(world), {"reason": REASON, "confirm_reference": her.display_reference}
    )
    assert response.status_code == 404
    her.refresh_from_db()
    assert her.anonymised_at is None
