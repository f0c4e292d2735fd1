"""Service admins' tools: audited staff changes, resetting MFA, the first admin."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from tests.support.factories import TeamFactory, UserFactory, enable_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return enable_mfa(UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True))


def test_inviting_and_deactivating_staff_are_audited(client, admin_user):
    team = TeamFactory(name="North")
    client.force_login(admin_user)
    client.post(
        reverse("accounts:invite"),
        {
            "full_name": "Nadia Khan",
            "email": "nadia@haven.test",
            "team": team.pk,
            "role": "keyworker",
        },
    )
    nadia = User.objects.get(email="nadia@haven.test")
    client.post(reverse("accounts:deactivate", args=[nadia.pk]))
    events = list(
        AuditEvent.objects.order_by("pk").values_list("action", "actor", "team", "detail")
    )
    assert events == [
        (
            AuditAction.INVITED_STAFF,
            admin_user.pk,
            team.pk,
            {"user": nadia.pk, "role": "keyworker"},
        ),
        (AuditAction.DEACTIVATED_STAFF, admin_user.pk, team.pk, {"user": nadia.pk}),
    ]


def test_a_service_admin_can_reset_a_lost_authenticator_but_not_read_it(client, admin_user):
    keyworker = enable_mfa(UserFactory(roles={Role.KEYWORKER}))
    authenticator = Authenticator.objects.get(user=keyworker)
    client.force_login(admin_user)
    change_url = reverse("admin:mfa_authenticator_change", args=[authenticator.pk])
    page = client.get(change_url).content.decode()
    assert authenticator.data["secret"] not in page
    response = client.post(
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=keyworker).exists()


def test_the_admin_link_shows_only_to_service_admins(client, admin_user):
    client.force_login(admin_user)
    assert reverse("admin:index") in client.get(reverse("home:staff_home")).content.decode()
    keyworker = enable_mfa(UserFactory(roles={Role.KEYWORKER}, is_staff=True))
    client.force_login(keyworker)
    assert reverse("admin:index") not in client.get(reverse("home:staff_home")).content.decode()


def test_create_service_admin_makes_an_admin_who_is_not_a_superuser(capsys):
    call_command("create_service_admin", "first@haven.test", "First Admin")
    user = User.objects.get(email="first@haven.test")
    assert user.roles == {Role.SERVICE_ADMIN}
    assert user.is_staff
    assert not user.is_superuser
    assert not user.has_usable_password()
    assert "/accounts/password/reset/key/" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("create_service_admin", "FIRST@haven.test", "Again")


def test_service_admins_may_configure_venues_and_programmes_in_the_admin_but_not_bookings():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="service_admin")
        .permissions.filter(content_type__app_label="sessions_booking")
        .values_list("codename", flat=True)
    )
    assert {"add_venue", "change_venue", "change_programme", "view_groupsession"} <= codenames
    assert not {c for c in codenames if c.startswith("delete_") or c.endswith("_booking")}
