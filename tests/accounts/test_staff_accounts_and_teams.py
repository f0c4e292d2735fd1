import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Team
from accounts.selectors import team_for_area
from accounts.services.staff import set_user_roles, upsert_team
from core.permissions import Role
from tests.support.factories import (
    TEST_PASSWORD,
    TeamFactory,
    UserFactory,
    current_totp_code,
    enable_mfa,
)

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_staff_sign_in_with_email_password_and_totp_code(client):
    user = enable_mfa(
        UserFactory(email="amara@haven.test", full_name="Amara Hussain", roles={Role.KEYWORKER})
    )
    response = client.post(
        reverse("account_login"), {"login": "Amara@Haven.TEST", "password": TEST_PASSWORD}
    )
    # The password alone is not enough: allauth asks for the authenticator code.
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home:staff_home")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert response["Location"] == reverse("home:staff_home")
    home = client.get(reverse("home:staff_home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == user
    assert "My caseload" in home.content.decode()


def test_a_wrong_authenticator_code_is_refused(client):
    enable_mfa(UserFactory(email="amara@haven.test", roles={Role.KEYWORKER}))
    client.post(reverse("account_login"), {"login": "amara@haven.test", "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("path", ["/staff/", "/django-admin/"])
def test_staff_without_mfa_are_sent_to_set_it_up_from_every_staff_page(client, path):
    UserFactory(email="new@haven.test", roles={Role.SERVICE_ADMIN}, is_staff=True)
    client.post(reverse("account_login"), {"login": "new@haven.test", "password": TEST_PASSWORD})
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_new_staff_member_sets_up_totp_and_then_reaches_staff_pages(client):
    UserFactory(email="new@haven.test", roles={Role.KEYWORKER})
    client.post(reverse("account_login"), {"login": "new@haven.test", "password": TEST_PASSWORD})
    # allauth asks for the password again before an authenticator is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home:staff_home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message_and_keeps_the_email(client):
    UserFactory(email="amara@haven.test")
    response = client.post(
        reverse("account_login"), {"login": "amara@haven.test", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert 'value="amara@haven.test"' in html
    assert "not correct" in html


def test_staff_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("home:staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_public_sign_up_is_closed(client):
    page = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in page.content.decode() or "closed" in page.content.decode().lower()
    client.post(
        reverse("account_signup"),
        {
            "email": "intruder@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert not User.objects.filter(email="intruder@example.org").exists()


def test_email_addresses_are_unique_whatever_their_case():
    UserFactory(email="beata@haven.test")
    with pytest.raises(ValidationError):
        User(email="Beata@Haven.test", full_name="Someone").full_clean(exclude=["password"])


def test_create_user_requires_an_email_and_stores_it_lower_case():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user(email="", password="x")
    user = User.objects.create_user(email="Chloe@Example.ORG", password="x", full_name="Chloe")
    assert user.email == "chloe@example.org"
    assert not user.is_staff
    assert not user.is_superuser
    admin = User.objects.create_superuser(email="root@example.org", password="x", full_name="R")
    assert admin.is_staff
    assert admin.is_superuser


def test_roles_come_from_groups_and_can_be_changed():
    user = UserFactory(roles={Role.KEYWORKER})
    assert user.roles == {Role.KEYWORKER}
    set_user_roles(user=user, roles={Role.TEAM_LEAD})
    assert User.objects.get(pk=user.pk).roles == {Role.TEAM_LEAD}
    assert user.has_role(Role.TEAM_LEAD)
    assert not user.has_role(Role.KEYWORKER)


def test_role_groups_exist_after_migration():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_team_areas_are_normalised_and_bad_districts_refused():
    team = upsert_team(
        name="North", postcode_districts=[" b1 ", "b 23", "B1"], local_authorities=["Birmingham "]
    )
    assert team.postcode_districts == ["B1", "B23"]
    assert team.local_authorities == ["Birmingham"]
    with pytest.raises(ValidationError) as error:
        upsert_team(name="South", postcode_districts=["B1 1AA", "12"], local_authorities=[])
    assert "postcode_districts" in error.value.message_dict
    assert not Team.objects.filter(name="South").exists()


def test_team_for_area_prefers_the_postcode_district_then_the_local_authority():
    birmingham = TeamFactory(
        name="Birmingham", postcode_districts=["B1", "B2"], local_authorities=["Birmingham"]
    )
    stoke = TeamFactory(
        name="Stoke", postcode_districts=["ST4"], local_authorities=["Stoke-on-Trent"]
    )
    assert team_for_area(postcode_district="b2") == birmingham
    assert team_for_area(postcode_district="ST4", local_authority="Birmingham") == stoke
    assert team_for_area(postcode_district="WS1", local_authority="Stoke-on-Trent") == stoke
    assert team_for_area(postcode_district="WS1") is None
    assert team_for_area() is None


def test_seed_demo_is_idempotent_and_its_printed_logins_work(client, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert Team.objects.count() == 2
    assert User.objects.count() == 6
    assert sum(1 for u in User.objects.all() if u.has_role(Role.KEYWORKER)) == 3
    assert User.objects.get(email="lead@haven.example").roles == {Role.TEAM_LEAD}
    assert User.objects.get(email="admin@haven.example").roles == {Role.SERVICE_ADMIN}
    assert User.objects.get(email="dpo@haven.example").roles == {Role.DATA_PROTECTION}
    assert "dpo@haven.example" in output
    password = output.split("password for all: ")[1].split()[0]
    assert "amara@haven.example" in output
    assert client.login(username="amara@haven.example", password=password)


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()
