"""Her case's timeline keeps every stage of a booking (booked, waitlisted, promoted,
confirmed, cancelled) instead of the latest one, and says who did each: the member of
staff, the service (a promotion), or she herself through her reminder link."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from tests.support.factories import GroupSessionFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def timeline(client, referral) -> list[str]:
    html = client.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    section = html[html.index('id="timeline"') :]
    items = re.findall(r'<li class="border-start ps-3 pb-3">(.*?)</li>', section, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def test_every_stage_is_kept_and_her_own_answers_are_hers(client, sign_in, keyworker, settings):
    start = timezone.now() + timedelta(days=3)
    session = GroupSessionFactory(
        starts_at=start, ends_at=start + timedelta(hours=2),
        booking_cutoff=start - timedelta(hours=1), capacity=1, creche_places=0,
        programme__name="Recovery",
    )  # fmt: skip
    first = ReferralFactory(team=keyworker.team, assigned_to=keyworker, preferred_name="First")
    her = ReferralFactory(team=keyworker.team, assigned_to=keyworker, preferred_name="Hers")
    taken = book_client(actor=keyworker, referral=first, session=session)
    booking = book_client(actor=keyworker, referral=her, session=session)  # waitlisted
    sign_in(keyworker)
    # Her place comes free: the other woman's keyworker cancels hers.
    client.post(reverse("sessions_booking:booking_cancel", args=[taken.pk]), {"sure": "yes"})
    link = issue_link(booking).replace("http://127.0.0.1:8000", "")
    client.post(link, {"action": "confirm"})
    client.post(link, {"action": "cancel", "sure": "yes"})

    stages = [entry for entry in timeline(client, her) if "Group: Recovery" in entry]
    name = keyworker.full_name
    # Newest first.
    assert [re.sub(r"^\d+ \w+ \d{4} \d\d:\d\d · ", "", entry) for entry in stages] == [
        f"She, through her reminder link Group: Recovery, {_when(session)}: "
        "She cancelled through her reminder link",
        f"She, through her reminder link Group: Recovery, {_when(session)}: "
        "She confirmed she is coming",
        f"{settings.SERVICE_NAME} Group: Recovery, {_when(session)}: "
        "Promoted from the waiting list: a place came free",
        f"{name} Group: Recovery, {_when(session)}: Booked: on the waiting list",
    ]
    # The woman who left: her own cancellation is her keyworker's.
    left = [entry for entry in timeline(client, first) if "Group: Recovery" in entry]
    assert left[0].endswith(": Cancelled")
    assert f"· {name} Group" in left[0]


def _when(session):
    return timezone.localtime(session.starts_at).strftime("%a %-d %b %Y %H:%M")
