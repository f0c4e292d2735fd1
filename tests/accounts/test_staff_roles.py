"""Roles are given on the staff people pages only: nobody changes her own, every change is
audited and told by e-mail to her and to every service admin; the Django admin offers no
way to grant superuser status, roles or permissions, and whatever is done there is audited
in Haven's own log."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from accounts.admin import AuditedAdmin
from accounts.models import User
from accounts.services.staff import change_staff_roles
from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from tests.support.factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

# What would let someone past the role checks, whatever the form calls it.
PRIVILEGE_FIELDS = {"is_superuser", "groups", "user_permissions", "permissions", "is_staff"}


@pytest.fixture
def other_admin():
    return UserFactory(email="olu@haven.test", team=None, roles={Role.SERVICE_ADMIN}, is_staff=True)


def roles_of(user) -> set[Role]:
    return set(User.objects.get(pk=user.pk).roles)


# --- The people pages -------------------------------------------------------------------------


def test_a_service_admin_changes_someones_roles_and_everyone_concerned_is_told(
    client, sign_in, service_admin, other_admin, amara, team
):
    sign_in(service_admin)
    page = client.get(reverse("accounts:roles", args=[amara.pk]))
    assert page.status_code == 200
    assert re.search(r'<input[^>]*name="roles"[^>]*value="keyworker"[^>]*checked', page.text)

    response = client.post(
        reverse("accounts:roles", args=[amara.pk]), {"roles": ["keyworker", "team_lead"],
                                                  "team": str(team.pk)}
    )  # fmt: skip
    assert response.status_code == 302
    assert roles_of(amara) == {Role.KEYWORKER, Role.TEAM_LEAD}

    event = AuditEvent.objects.get(action=AuditAction.CHANGED_STAFF_ROLES)
    assert event.actor == service_admin
    assert event.detail == {
        "user": amara.pk, "before": ["keyworker"], "after": ["keyworker", "team_lead"],
    }  # fmt: skip
    # Her, and every service admin (the one who acted included: a hijacked account's
    # owner hears of it).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [amara.email, service_admin.email, other_admin.email]
    )
    body = mail.outbox[0].body
    assert "Before: Keyworker" in body
    assert "Now: Keyworker, Team lead" in body
    assert "Sam Admin" in body


def test_nobody_changes_her_own_roles(client, sign_in, service_admin, team):
    sign_in(service_admin)
    url = reverse("accounts:roles", args=[service_admin.pk])
    page = client.get(url)
    assert "You cannot change your own roles" in page.text
    assert 'name="roles"' not in page.text
    response = client.post(url, {"roles": ["service_admin", "team_lead"], "team": str(team.pk)})
    assert response.status_code == 400
    assert roles_of(service_admin) == {Role.SERVICE_ADMIN}
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGED_STAFF_ROLES).exists()
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        change_staff_roles(
            actor=service_admin, user=service_admin, roles={Role.TEAM_LEAD}, team=team
        )


def test_a_keyworker_or_team_lead_needs_a_team_and_what_was_ticked_is_kept(
    client, sign_in, service_admin, other_admin
):
    sign_in(service_admin)
    response = client.post(reverse("accounts:roles", args=[other_admin.pk]),
                           {"roles": ["service_admin", "team_lead"], "team": ""})  # fmt: skip
    assert response.status_code == 400
    assert "Choose a team" in response.text
    assert re.search(r'<input[^>]*value="team_lead"[^>]*checked', response.text)
    assert roles_of(other_admin) == {Role.SERVICE_ADMIN}
    assert mail.outbox == []


def test_when_the_notices_cannot_be_sent_nothing_changes(
    client, sign_in, service_admin, amara, team, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    sign_in(service_admin)
    response = client.post(reverse("accounts:roles", args=[amara.pk]),
                           {"roles": ["service_admin"], "team": str(team.pk)})  # fmt: skip
    assert response.status_code == 400
    assert "nothing was changed" in response.text
    assert roles_of(amara) == {Role.KEYWORKER}
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGED_STAFF_ROLES).exists()


@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.TEAM_LEAD])
def test_only_people_who_manage_staff_may_change_roles(client, sign_in, role, amara, team):
    me = UserFactory(team=team, roles={role})
    sign_in(me)
    url = reverse("accounts:roles", args=[amara.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"roles": ["service_admin"], "team": ""}).status_code == 404
    assert roles_of(amara) == {Role.KEYWORKER}
    with pytest.raises(PermissionDenied):
        change_staff_roles(actor=me, user=amara, roles={Role.SERVICE_ADMIN}, team=None)


def test_the_people_page_links_to_roles_for_others_only(client, sign_in, service_admin, amara):
    sign_in(service_admin)
    html = client.get(reverse("accounts:people")).text
    assert reverse("accounts:roles", args=[amara.pk]) in html
    assert reverse("accounts:roles", args=[service_admin.pk]) not in html


# --- The Django admin, as each role uses it ---------------------------------------------------


def admin_request(user):
    request = RequestFactory().get("/django-admin/")
    request.user = user
    return request


def test_no_admin_form_offers_a_way_to_grant_access(service_admin, amara, team):
    """Every model registered in the admin, add and change forms, as a service admin and
    as a superuser would see them (the most a form can offer)."""
    superuser = UserFactory(roles={Role.SERVICE_ADMIN}, is_staff=True, is_superuser=True)
    for user in (service_admin, superuser):
        request = admin_request(user)
        for model, model_admin in admin.site._registry.items():
            obj = model.objects.first()
            for instance in (None, obj):
                if instance is None and not model_admin.has_add_permission(request):
                    continue
                form = model_admin.get_form(request, instance, change=instance is not None)
                offered = set(form.base_fields) - set(
                    model_admin.get_readonly_fields(request, instance)
                )
                assert not offered & PRIVILEGE_FIELDS, (model._meta.label, offered)


def test_groups_and_permissions_are_not_in_the_admin():
    registered = {model._meta.label for model in admin.site._registry}
    assert "auth.Group" not in registered
    assert "auth.Permission" not in registered
    assert "account.EmailAddress" not in registered


def test_posting_privileges_to_the_admin_user_page_changes_nothing(
    client, sign_in, service_admin, team
):
    """The finding, replayed: the service admin posts her own change form back with
    superuser status, every role and a team."""
    sign_in(service_admin)
    url = reverse("admin:accounts_user_change", args=[service_admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    for name in PRIVILEGE_FIELDS | {"team", "is_active"}:
        assert f'name="{name}"' not in page.text, name
    group_ids = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    response = client.post(url, {
        "email": service_admin.email, "full_name": "Sam Admin", "is_superuser": "on",
        "is_staff": "on", "groups": group_ids, "team": str(team.pk), "user_permissions": ["1"],
    })  # fmt: skip
    assert response.status_code == 302
    service_admin.refresh_from_db()
    assert service_admin.is_superuser is False
    assert service_admin.team is None
    assert roles_of(service_admin) == {Role.SERVICE_ADMIN}
    assert not service_admin.user_permissions.exists()
    case = ReferralFactory(team=team)
    assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 404


def test_staff_are_not_added_deleted_or_given_passwords_in_the_admin(
    client, sign_in, service_admin, amara
):
    sign_in(service_admin)
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.post(reverse("admin:accounts_user_delete", args=[amara.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip
    assert client.get(f"/django-admin/accounts/user/{amara.pk}/password/").status_code != 200
    assert User.objects.filter(pk=amara.pk, is_active=True).exists()


def test_every_admin_writes_to_havens_audit_log():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedAdmin), model._meta.label


def test_a_change_in_the_admin_is_in_havens_audit_log(client, sign_in, service_admin, amara):
    sign_in(service_admin)
    url = reverse("admin:accounts_user_change", args=[amara.pk])
    response = client.post(url, {"email": amara.email, "full_name": "Amara Begum"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGED)
    assert event.actor == service_admin
    assert event.detail["model"] == "accounts.User"
    assert event.detail["object_id"] == str(amara.pk)
    assert "Full name" in event.detail["change"]
    assert "Begum" not in event.detail["change"]  # field names, never values


def test_an_addition_in_the_admin_is_in_havens_audit_log(client, sign_in, service_admin):
    sign_in(service_admin)
    response = client.post(reverse("admin:accounts_team_add"), {
        "name": "South", "postcode_districts": "B29", "local_authorities": "Birmingham",
    })  # fmt: skip
    assert response.status_code == 302, response.text[:2000]
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_ADDED)
    assert (event.actor, event.detail["model"]) == (service_admin, "accounts.Team")


def test_a_deletion_in_the_admin_is_in_havens_audit_log(client, sign_in, service_admin, amara):
    from allauth.mfa.models import Authenticator

    from tests.support.factories import enable_mfa

    enable_mfa(amara)
    authenticator = Authenticator.objects.get(user=amara)
    sign_in(service_admin)
    url = reverse("admin:mfa_authenticator_delete", args=[authenticator.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_DELETED)
    assert event.detail["model"] == "mfa.Authenticator"
    assert event.detail["object_id"] == str(authenticator.pk)


# --- The data protection role -----------------------------------------------------------------


def test_service_admins_do_not_hold_the_data_protection_role_by_default(service_admin):
    assert not service_admin.has_perm("referrals.handle_subject_requests")
    assert Role.DATA_PROTECTION not in service_admin.roles


def test_the_data_protection_role_is_given_per_person_on_the_people_page(
    client, sign_in, service_admin, other_admin, team
):
    case = ReferralFactory(team=team)
    colleague = UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True)
    browser = sign_in(colleague)
    assert browser.get(reverse("dataprotection:subject_access", args=[case.pk])).status_code == 404

    client.logout()
    sign_in(service_admin)
    response = client.post(
        reverse("accounts:roles", args=[colleague.pk]),
        {"roles": ["service_admin", "data_protection"], "team": ""},
    )
    assert response.status_code == 302
    assert roles_of(colleague) == {Role.SERVICE_ADMIN, Role.DATA_PROTECTION}
    assert any("Now: Data protection, Service admin" in m.body for m in mail.outbox)

    client.logout()
    sign_in(colleague)
    assert client.get(reverse("dataprotection:subject_access", args=[case.pk])).status_code == 200
