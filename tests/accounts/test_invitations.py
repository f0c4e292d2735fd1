"""Service admins invite staff, list them and deactivate them; nobody else sees those pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services.invitations import invite_staff_member
from core.permissions import Role
from tests.support.factories import TEST_PASSWORD, TeamFactory, UserFactory, enable_mfa

User = get_user_model()
pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-pebble-42"
# A message someone else may see never says what the service is for.
REVEALING_WORDS = re.compile(r"drug|alcohol|treatment|abuse|haven", re.IGNORECASE)


class UnreachableMailServer:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unreachable")


def invite_data(chosen_team, **overrides):
    data = {
        "full_name": "Beata Nowak",
        "email": "Beata.Nowak@Haven.TEST",
        "team": chosen_team.pk,
        "role": Role.KEYWORKER.value,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def link_path_in(message) -> str:
    match = re.search(r"https://staff\.example\.org(/accounts/password/reset/key/\S+/)", message)
    assert match, message
    return match.group(1)


# --- The whole journey -------------------------------------------------------------------


def test_an_invited_keyworker_sets_her_own_password_then_signs_in_and_is_asked_for_mfa(
    client, sign_in, service_admin, team, settings
):
    settings.SITE_URL = "https://staff.example.org"
    sign_in(service_admin)

    response = client.post(reverse("accounts:invite"), invite_data(team))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:people")
    people_page = client.get(response["Location"]).content.decode()
    assert "Invitation sent to beata.nowak@haven.test" in people_page
    beata = User.objects.get(email="beata.nowak@haven.test")
    assert beata.full_name == "Beata Nowak"
    assert beata.team == team
    assert beata.roles == {Role.KEYWORKER}
    assert not beata.has_usable_password()
    assert not beata.is_staff

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["beata.nowak@haven.test"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert not REVEALING_WORDS.search(email.subject + email.body)
    link = link_path_in(email.body)

    # She opens the link in her own browser: allauth moves the key out of the address and
    # asks for a new password.
    browser = Client()
    response = browser.get(link)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert set_password_url.endswith("-set-password/")
    form_page = browser.get(set_password_url)
    assert form_page.status_code == 200
    assert 'name="password1"' in form_page.content.decode()
    response = browser.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    beata.refresh_from_db()
    assert beata.check_password(NEW_PASSWORD)

    # The link works once: now it shows allauth's "bad token" page instead of redirecting.
    assert browser.get(link).status_code == 200

    response = browser.post(
        reverse("account_login"), {"login": "beata.nowak@haven.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home:staff_home")
    response = browser.get(reverse("home:staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_service_admin_can_be_invited_without_a_team(client, sign_in, service_admin):
    sign_in(service_admin)
    response = client.post(
        reverse("accounts:invite"),
        {"full_name": "Chloe Price", "email": "chloe@haven.test", "role": "service_admin"},
    )
    assert response.status_code == 302
    chloe = User.objects.get(email="chloe@haven.test")
    assert chloe.team is None
    assert chloe.roles == {Role.SERVICE_ADMIN}
    assert len(mail.outbox) == 1


# --- Refusals keep what was typed --------------------------------------------------------


def test_an_email_already_in_use_is_refused_whatever_its_case_and_nothing_is_sent(
    client, sign_in, service_admin, team
):
    UserFactory(email="beata.nowak@haven.test", full_name="Existing Beata", team=team)
    sign_in(service_admin)

    response = client.post(reverse("accounts:invite"), invite_data(team))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "A staff account already uses this email address." in html
    assert 'href="#id_email"' in html  # the error summary links to the field
    assert 'value="Beata Nowak"' in html  # what she typed is kept
    assert 'value="Beata.Nowak@Haven.TEST"' in html
    assert User.objects.filter(email__iexact="beata.nowak@haven.test").count() == 1
    assert User.objects.get(email="beata.nowak@haven.test").full_name == "Existing Beata"
    assert mail.outbox == []


@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.TEAM_LEAD])
def test_keyworkers_and_team_leads_must_be_given_a_team(client, sign_in, service_admin, team, role):
    sign_in(service_admin)
    response = client.post(reverse("accounts:invite"), invite_data(team, team="", role=role.value))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a team: keyworkers and team leads work in a team." in html
    assert 'href="#id_team"' in html
    assert not User.objects.filter(email__iexact="beata.nowak@haven.test").exists()
    assert mail.outbox == []


def test_missing_answers_are_listed_in_an_error_summary(client, sign_in, service_admin):
    sign_in(service_admin)
    response = client.post(reverse("accounts:invite"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Error:", html)
    for field_id in ("id_full_name", "id_email", "id_role_0"):  # every link goes somewhere
        assert f'href="#{field_id}" class="alert-link"' in html, field_id
    assert not User.objects.exclude(pk=service_admin.pk).exists()


def test_when_the_email_cannot_be_sent_no_account_is_created(
    client, sign_in, service_admin, team, settings
):
    settings.EMAIL_BACKEND = "tests.accounts.test_invitations.UnreachableMailServer"
    sign_in(service_admin)
    response = client.post(reverse("accounts:invite"), invite_data(team))
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be sent, so no account was created" in html
    assert 'value="Beata Nowak"' in html
    assert not User.objects.filter(email__iexact="beata.nowak@haven.test").exists()


def test_the_invite_action_itself_refuses_people_who_may_not_invite(team):
    keyworker = UserFactory(roles={Role.KEYWORKER}, team=team)
    with pytest.raises(PermissionDenied):
        invite_staff_member(
            actor=keyworker,
            full_name="Beata Nowak",
            email="beata@haven.test",
            team=team,
            role=Role.KEYWORKER,
        )
    assert not User.objects.filter(email="beata@haven.test").exists()


# --- The people page ---------------------------------------------------------------------


def test_the_people_page_lists_team_roles_status_and_mfa(client, sign_in, service_admin, team):
    amara = enable_mfa(
        UserFactory(
            email="amara@haven.test",
            full_name="Amara Hussain",
            team=team,
            roles={Role.KEYWORKER, Role.TEAM_LEAD},
        )
    )
    invited = UserFactory(email="new@haven.test", full_name="Nell Invited", team=team)
    invited.set_unusable_password()
    invited.save()
    UserFactory(email="gone@haven.test", full_name="Gwen Gone", team=team, is_active=False)
    sign_in(service_admin)

    response = client.get(reverse("accounts:people"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>People</h1>" in html
    row = re.search(r"<tr>\s*<th scope=\"row\">Amara Hussain</th>.*?</tr>", html, re.S).group(0)
    for text in ("amara@haven.test", team.name, "Keyworker", "Team lead", "Active", "Set up"):
        assert text in row
    assert f'href="{reverse("accounts:deactivate", args=[amara.pk])}"' in row
    nell = re.search(r"<th scope=\"row\">Nell Invited</th>.*?</tr>", html, re.S).group(0)
    assert "Invited" in nell
    assert "Not set up" in nell
    gwen = re.search(r"<th scope=\"row\">Gwen Gone</th>.*?</tr>", html, re.S).group(0)
    assert "Deactivated" in gwen
    assert "/deactivate/" not in gwen
    # No way to deactivate yourself from the list.
    assert reverse("accounts:deactivate", args=[service_admin.pk]) not in html
    # The page is reachable from the staff navigation.
    assert f'href="{reverse("accounts:people")}" aria-current="page"' in html


def test_the_people_page_query_count_does_not_grow_with_the_number_of_staff(
    client, sign_in, service_admin, team
):
    sign_in(service_admin)

    def queries_for_people_page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("accounts:people"))
        assert response.status_code == 200
        return len(queries)

    for _ in range(5):
        enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}))
    with_five = queries_for_people_page()
    for _ in range(45):
        UserFactory(team=TeamFactory(), roles={Role.TEAM_LEAD, Role.KEYWORKER})
    with_fifty = queries_for_people_page()
    assert User.objects.count() == 51
    assert with_five == with_fifty


# --- Deactivation ------------------------------------------------------------------------


def test_a_deactivated_member_of_staff_is_signed_out_and_cannot_sign_in_again(
    client, sign_in, service_admin, team
):
    leaver = enable_mfa(UserFactory(email="leaver@haven.test", team=team, roles={Role.KEYWORKER}))
    leavers_browser = Client()
    leavers_browser.force_login(leaver)
    assert leavers_browser.get(reverse("home:staff_home")).status_code == 200
    sign_in(service_admin)

    confirm = client.get(reverse("accounts:deactivate", args=[leaver.pk]))
    assert confirm.status_code == 200
    assert "<h1>Deactivate" in confirm.content.decode()
    response = client.post(reverse("accounts:deactivate", args=[leaver.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:people")
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert (
        "is deactivated: they can no longer sign in."
        in client.get(reverse("accounts:people")).content.decode()
    )
    # Her open session ends at once...
    response = leavers_browser.get(reverse("home:staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # ...and her password no longer lets her in.
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "leaver@haven.test", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in fresh.session


def test_a_service_admin_cannot_deactivate_herself(client, sign_in, service_admin):
    sign_in(service_admin)
    response = client.post(reverse("accounts:deactivate", args=[service_admin.pk]), follow=True)
    assert "You cannot deactivate your own account." in response.content.decode()
    service_admin.refresh_from_db()
    assert service_admin.is_active


def test_deactivating_someone_who_does_not_exist_is_404(client, sign_in, service_admin):
    sign_in(service_admin)
    assert client.post(reverse("accounts:deactivate", args=[999999])).status_code == 404


# --- Who may use these pages -------------------------------------------------------------


def staff_pages(target):
    return [
        ("get", reverse("accounts:people")),
        ("get", reverse("accounts:invite")),
        ("get", reverse("accounts:deactivate", args=[target.pk])),
        ("post", reverse("accounts:deactivate", args=[target.pk])),
    ]


def test_signed_out_visitors_are_sent_to_sign_in(client, team):
    target = UserFactory(team=team, roles={Role.KEYWORKER})
    for method, url in [*staff_pages(target), ("post", reverse("accounts:invite"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.TEAM_LEAD])
def test_keyworkers_and_team_leads_get_not_found_not_forbidden(client, sign_in, team, role):
    target = UserFactory(team=team, roles={Role.KEYWORKER})
    sign_in(UserFactory(team=team, roles={role}))
    for method, url in staff_pages(target):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    response = client.post(reverse("accounts:invite"), invite_data(team))
    assert response.status_code == 404
    assert not User.objects.filter(email__iexact="beata.nowak@haven.test").exists()
    assert mail.outbox == []
    target.refresh_from_db()
    assert target.is_active
    # And the navigation does not point to them.
    home = client.get(reverse("home:staff_home")).content.decode()
    assert f'href="{reverse("accounts:people")}"' not in home


def test_service_admins_may_use_every_people_page(client, sign_in, service_admin, team):
    target = UserFactory(team=team, roles={Role.KEYWORKER})
    sign_in(service_admin)
    for method, url in staff_pages(target):
        response = getattr(client, method)(url)
        assert response.status_code in {200, 302}, (method, url)
        if response.status_code == 200:
            assert "<h1" in response.content.decode(), url


def test_the_invite_form_has_a_label_for_every_field(client, sign_in, service_admin, team):
    sign_in(service_admin)
    html = client.get(reverse("accounts:invite")).content.decode()
    assert "<h1>Invite someone</h1>" in html
    for field in ("full_name", "email", "team"):
        assert f'for="id_{field}"' in html, field
    assert re.search(r"<legend[^>]*>\s*Role", html)  # the role radios are a labelled group
    assert team.name in html  # her team is offered
