"""The staff home page: the cases due for contact today, and her caseload filtered,
searched and sorted (a keyworker sees only her own cases, a team lead her team's)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.choices import Status
from tests.support.cases import post
from tests.support.factories import ReferralFactory

pytestmark = pytest.mark.django_db


# --- next contact and due today ---------------------------------------------------------------
def test_next_contact_dates_feed_the_due_today_list(client, team, amara):
    today = timezone.localdate()
    overdue = ReferralFactory(
        team=team, assigned_to=amara, status=Status.CONTACTING, preferred_name="Overdue"
    )
    due = ReferralFactory(
        team=team, assigned_to=amara, status=Status.ACTIVE, preferred_name="DueToday"
    )
    later = ReferralFactory(
        team=team, assigned_to=amara, status=Status.ACTIVE, preferred_name="Later"
    )
    client.force_login(amara)
    post(
        client,
        "referrals:case_next_contact",
        overdue,
        {"on": (today - timedelta(days=2)).isoformat()},
    )
    post(client, "referrals:case_next_contact", due, {"on": today.isoformat()})
    post(
        client,
        "referrals:case_next_contact",
        later,
        {"on": (today + timedelta(days=3)).isoformat()},
    )
    home = client.get(reverse("home:staff_home")).content.decode()
    due_section = home.split('id="due-heading"')[1].split("</section>")[0]
    assert "Overdue" in due_section
    assert "DueToday" in due_section
    assert "Later" not in due_section
    assert due_section.index("Overdue") < due_section.index("DueToday")


# --- caseload filters, search and sort ----------------------------------------------------------
def test_caseload_filters_search_and_sort(client, team, amara, lead):
    ReferralFactory(
        team=team,
        assigned_to=amara,
        status=Status.ACTIVE,
        preferred_name="Marta",
        priority="routine",
    )
    urgent = ReferralFactory(
        team=team,
        assigned_to=amara,
        status=Status.CONTACTING,
        preferred_name="Ioana",
        priority="urgent",
    )
    ReferralFactory(team=team, assigned_to=lead, status=Status.ACTIVE, preferred_name="Gemma")
    client.force_login(amara)
    html = client.get(reverse("home:staff_home")).content.decode()
    assert html.index("Ioana") < html.index("Marta")  # most urgent first
    assert "Gemma" not in html  # not hers
    assert (
        "Marta"
        not in client.get(reverse("home:staff_home"), {"priority": "urgent"}).content.decode()
    )
    assert (
        "Ioana" not in client.get(reverse("home:staff_home"), {"status": "active"}).content.decode()
    )
    found = client.get(
        reverse("home:staff_home"), {"q": urgent.display_reference.lower()}
    ).content.decode()
    assert "Ioana" in found
    assert "Marta" not in found
    by_name = client.get(reverse("home:staff_home"), {"sort": "name"}).content.decode()
    assert by_name.index("Ioana") < by_name.index("Marta")
    # A keyworker asking for the whole team's cases still sees only her own.
    assert "Gemma" not in client.get(reverse("home:staff_home"), {"scope": "team"}).content.decode()
    client.force_login(lead)
    assert "Marta" in client.get(reverse("home:staff_home"), {"scope": "team"}).content.decode()
