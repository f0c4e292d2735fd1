"""The Django admin: service admins only, signed in through allauth, configuration only."""

from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import reverse

from core.permissions import Role
from tests.support.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory, enable_mfa

pytestmark = pytest.mark.django_db

ADMIN_INDEX = "/django-admin/"
ADMIN_LOGIN = "/django-admin/login/"


def test_signed_out_visitors_are_sent_to_the_staff_sign_in_page(client):
    response = client.get(ADMIN_INDEX, follow=True)
    sign_in_url = f"{reverse('account_login')}?{urlencode({'next': ADMIN_INDEX})}"
    assert response.redirect_chain[-1] == (sign_in_url, 302)
    assert response.status_code == 200
    assert "Staff sign in" in response.content.decode()


def test_the_admin_password_form_is_never_used_even_with_the_right_password(client):
    UserFactory(email="root@haven.test", roles={Role.SERVICE_ADMIN}, is_staff=True)
    response = client.post(
        ADMIN_LOGIN,
        {"username": "root@haven.test", "password": TEST_PASSWORD, "next": ADMIN_INDEX},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_is_throttled_like_every_staff_sign_in(client):
    """Signing in for the admin happens on allauth's page, with its failed-login limit."""
    UserFactory(email="root@haven.test", roles={Role.SERVICE_ADMIN}, is_staff=True)
    login_url = client.get(ADMIN_INDEX, follow=True).redirect_chain[-1][0]
    for attempt in range(5):
        client.post(login_url, {"login": "root@haven.test", "password": f"wrong-{attempt}"})
    response = client.post(login_url, {"login": "root@haven.test", "password": TEST_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.TEAM_LEAD])
def test_keyworkers_and_team_leads_are_kept_out_even_with_the_admin_flag(client, sign_in, role):
    sign_in(UserFactory(roles={role}, is_staff=True, is_superuser=True))
    response = client.get(ADMIN_INDEX)
    assert response.status_code != 200
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 403
    # Not through a "next" either, and no model page leaks.
    assert client.get(ADMIN_LOGIN + "?next=/django-admin/accounts/user/").status_code == 403
    assert client.get("/django-admin/accounts/user/").status_code != 200


def test_a_service_admin_without_the_admin_flag_is_kept_out(client, sign_in):
    sign_in(UserFactory(roles={Role.SERVICE_ADMIN}, is_staff=False))
    response = client.get(ADMIN_INDEX, follow=True)
    assert response.status_code == 403


def test_a_signed_out_service_admin_is_asked_for_mfa_on_the_way_in(client):
    enable_mfa(UserFactory(email="root@haven.test", roles={Role.SERVICE_ADMIN}, is_staff=True))
    login_url = client.get(ADMIN_INDEX, follow=True).redirect_chain[-1][0]
    response = client.post(login_url, {"login": "root@haven.test", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_service_admin_with_the_admin_flag_and_mfa_gets_in(client, sign_in):
    sign_in(UserFactory(roles={Role.SERVICE_ADMIN}, is_staff=True))
    response = client.get(ADMIN_INDEX)
    assert response.status_code == 200
    assert "Haven administration" in response.content.decode()
    # Already signed in: the admin's login address just moves her on, never shows a form.
    response = client.get(ADMIN_LOGIN + "?next=/django-admin/accounts/team/")
    assert response.status_code == 302
    assert response["Location"] == "/django-admin/accounts/team/"
    response = client.get(ADMIN_LOGIN + "?next=https://evil.example/")
    assert response["Location"] == ADMIN_INDEX


def test_a_signed_in_admin_cannot_switch_account_through_the_admin_login(client, sign_in):
    me = sign_in(UserFactory(roles={Role.SERVICE_ADMIN}, is_staff=True))
    other = UserFactory(email="other@haven.test", roles={Role.SERVICE_ADMIN}, is_staff=True)
    me.post(ADMIN_LOGIN, {"username": other.email, "password": TEST_PASSWORD})
    assert client.session["_auth_user_id"] != str(other.pk)


def test_case_data_is_never_registered_in_the_admin():
    registered_apps = {model._meta.app_label for model in admin.site._registry}
    assert "referrals" not in registered_apps
    assert registered_apps <= {"auth", "account", "mfa", "accounts", "sessions_booking"}


def test_the_admin_never_shows_an_authenticator_secret(client, sign_in):
    target = enable_mfa(UserFactory(email="amara@haven.test", roles={Role.KEYWORKER}))
    authenticator = Authenticator.objects.get(user=target, type=Authenticator.Type.TOTP)
    # A superuser sees every admin page, so this shows what the page can show at most.
    sign_in(UserFactory(roles={Role.SERVICE_ADMIN}, is_staff=True, is_superuser=True))

    change_url = reverse("admin:mfa_authenticator_change", args=[authenticator.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert TEST_TOTP_SECRET not in page.content.decode()
    assert 'name="data"' not in page.content.decode()
    # She can be reset (the authenticator deleted), not edited.
    assert client.post(change_url, {"data": "{}"}).status_code == 403
    delete_url = reverse("admin:mfa_authenticator_delete", args=[authenticator.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
