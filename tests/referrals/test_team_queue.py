"""The team queue: new, unassigned referrals of one team, most urgent then oldest."""

import pytest
from django.urls import reverse

from core.permissions import Role
from referrals.choices import Priority, Status
from tests.support.factories import ReferralFactory, TeamFactory, UserFactory, enable_mfa

pytestmark = pytest.mark.django_db


def signed_in(client, **user_kwargs):
    user = enable_mfa(UserFactory(**user_kwargs))
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.TEAM_LEAD])
def test_keyworkers_and_team_leads_see_their_own_teams_queue_only(client, team, role):
    mine = ReferralFactory(team=team, preferred_name="Kasia")
    ReferralFactory(team=TeamFactory(name="Stoke"), preferred_name="Tasha")
    signed_in(client, team=team, roles={role})
    html = client.get(reverse("referrals:team_queue")).content.decode()
    assert mine.display_reference in html
    assert "Kasia" in html
    assert "Tasha" not in html


def test_the_queue_leaves_out_assigned_and_progressed_referrals(client, team):
    keyworker = signed_in(client, team=team, roles={Role.KEYWORKER})
    ReferralFactory(team=team, preferred_name="Waiting")
    ReferralFactory(team=team, preferred_name="Assigned", assigned_to=keyworker)
    ReferralFactory(team=team, preferred_name="Contacting", status=Status.CONTACTING)
    html = client.get(reverse("referrals:team_queue")).content.decode()
    assert "Waiting" in html
    assert "Assigned" not in html
    assert "Contacting" not in html


def test_the_queue_puts_the_most_urgent_first_then_the_oldest(client, team):
    from datetime import timedelta

    from django.utils import timezone

    from referrals.models import Referral

    signed_in(client, team=team, roles={Role.KEYWORKER})
    names = {
        "OldRoutine": (Priority.ROUTINE, 10),
        "NewRoutine": (Priority.ROUTINE, 1),
        "Urgent": (Priority.URGENT, 2),
        "Safeguarding": (Priority.SAFEGUARDING, 0),
    }
    for name, (priority, days) in names.items():
        referral = ReferralFactory(team=team, preferred_name=name, priority=priority)
        Referral.objects.filter(pk=referral.pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )
    html = client.get(reverse("referrals:team_queue")).content.decode()
    positions = [
        html.index(name) for name in ("Safeguarding", "Urgent", "OldRoutine", "NewRoutine")
    ]
    assert positions == sorted(positions)


def test_service_admins_without_a_caseload_role_see_no_referrals(client, team):
    ReferralFactory(team=team, preferred_name="Kasia")
    signed_in(client, team=team, roles={Role.SERVICE_ADMIN})
    assert client.get(reverse("referrals:team_queue")).status_code == 404
    home = client.get(reverse("home:staff_home"))
    assert home.status_code == 200
    assert "Kasia" not in home.content.decode()
