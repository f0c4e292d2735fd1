"""Sign-in throttling, the idle-session warning and keep-alive, signing out everywhere on a
password change, and a password reset that does not tell who has an account."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.permissions import Role
from tests.support.factories import TEST_PASSWORD, UserFactory, enable_mfa

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-pebble-42"
ALL_ROLES = [Role.KEYWORKER, Role.TEAM_LEAD, Role.SERVICE_ADMIN]


def session_expiry(client) -> timezone.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


# --- Sign-in throttling ------------------------------------------------------------------


def test_after_five_failed_sign_ins_even_the_right_password_is_refused(client):
    UserFactory(email="amara@haven.test", roles={Role.KEYWORKER})
    for attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": "amara@haven.test", "password": f"wrong-{attempt}"}
        )
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()

    response = client.post(
        reverse("account_login"), {"login": "Amara@Haven.test", "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_for_one_address_do_not_lock_out_another(client):
    UserFactory(email="amara@haven.test", roles={Role.KEYWORKER})
    enable_mfa(UserFactory(email="beata@haven.test", roles={Role.KEYWORKER}))
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "amara@haven.test", "password": "nope"})
    response = client.post(
        reverse("account_login"), {"login": "beata@haven.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


# --- Idle timeout warning ----------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_staff_pages_carry_the_timeout_warning_with_the_configured_seconds(
    client, sign_in, settings, role
):
    settings.SESSION_COOKIE_AGE = 900
    sign_in(UserFactory(roles={role}))
    html = client.get(reverse("home:staff_home")).content.decode()

    warning = re.search(r'<div id="session-timeout".*?</div>\s*</div>\s*</div>', html, re.S)
    assert warning, "no session-timeout markup"
    warning = warning.group(0)
    assert 'role="alertdialog"' in warning
    assert 'data-session-seconds="900"' in warning
    assert 'data-warning-seconds="120"' in warning
    assert " hidden>" in warning  # only the script shows it
    assert "You will be signed out in 2 minutes to keep information safe." in warning
    keepalive = re.search(
        r'<form method="post" action="(?P<action>[^"]+)" data-session-keepalive>'
        r"(?P<body>.*?)</form>",
        warning,
        re.S,
    )
    assert keepalive["action"] == reverse("accounts:keepalive")
    assert 'name="csrfmiddlewaretoken"' in keepalive["body"]
    assert f'name="next" value="{reverse("home:staff_home")}"' in keepalive["body"]
    assert '<button type="submit" class="btn btn-primary">Stay signed in</button>' in warning
    assert '<script src="/static/js/session-timeout.js" defer></script>' in html


def test_the_warning_time_shrinks_for_very_short_sessions(client, sign_in, settings):
    settings.SESSION_COOKIE_AGE = 60
    sign_in(UserFactory(roles={Role.KEYWORKER}))
    html = client.get(reverse("home:staff_home")).content.decode()
    assert 'data-warning-seconds="30"' in html
    assert "You will be signed out in 30 seconds to keep information safe." in html


def test_pages_for_signed_out_visitors_have_no_timeout_warning(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "session-timeout" not in html


def test_the_session_timeout_script_uses_the_token_from_the_page_and_the_login_page():
    from django.conf import settings

    script = (settings.BASE_DIR / "static/js/session-timeout.js").read_text()
    assert 'input[name="csrfmiddlewaretoken"]' in script
    assert '"X-Requested-With": "fetch"' in script
    assert 'loginUrl + "?next=" + encodeURIComponent(currentPath())' in script


# --- Keep-alive --------------------------------------------------------------------------


def test_keep_alive_sends_signed_out_visitors_to_sign_in(client):
    response = client.post(reverse("accounts:keepalive"), {"next": "/staff/people/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/staff/people/"


def test_keep_alive_only_accepts_posts(client, sign_in):
    sign_in(UserFactory(roles={Role.KEYWORKER}))
    assert client.get(reverse("accounts:keepalive")).status_code == 405


@pytest.mark.parametrize("role", ALL_ROLES)
def test_keep_alive_restarts_the_idle_clock_for_every_staff_role(client, sign_in, settings, role):
    # Prove the endpoint saves the session itself, not only the save-every-request setting.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    sign_in(UserFactory(roles={role}))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=60)
    )

    response = client.post(reverse("accounts:keepalive"), headers={"X-Requested-With": "fetch"})

    assert response.status_code == 204
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session_expiry(client) - expected) < timedelta(seconds=10)


def test_keep_alive_without_javascript_goes_back_to_the_page(client, sign_in):
    sign_in(UserFactory(roles={Role.KEYWORKER}))
    response = client.post(reverse("accounts:keepalive"), {"next": "/staff/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/?page=2"


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/", "//evil.example/staff/", "javascript:alert(1)", "staff/", ""],
)
def test_keep_alive_never_redirects_off_the_site(client, sign_in, unsafe):
    sign_in(UserFactory(roles={Role.KEYWORKER}))
    response = client.post(reverse("accounts:keepalive"), {"next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == reverse("home:staff_home")


def test_keep_alive_needs_the_csrf_token():
    user = enable_mfa(UserFactory(roles={Role.KEYWORKER}))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post(reverse("accounts:keepalive"), headers={"X-Requested-With": "fetch"})
    assert response.status_code == 403


# --- Signing out everywhere --------------------------------------------------------------


def test_changing_the_password_signs_out_every_other_session():
    user = enable_mfa(UserFactory(email="amara@haven.test", roles={Role.KEYWORKER}))
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    assert phone.get(reverse("home:staff_home")).status_code == 200

    page = laptop.get(reverse("account_change_password"))
    assert page.status_code == 200
    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    for browser in (phone, laptop):
        response = browser.get(reverse("home:staff_home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- Password reset ----------------------------------------------------------------------


def page_text(response) -> str:
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_password_reset_does_not_reveal_whether_an_address_has_an_account():
    UserFactory(email="known@haven.test", roles={Role.KEYWORKER})
    answers = {}
    for address in ("stranger@example.org", "known@haven.test"):
        browser = Client()
        response = browser.post(reverse("account_reset_password"), {"email": address})
        followed = browser.get(response["Location"]) if response.status_code == 302 else None
        answers[address] = (
            response.status_code,
            response.get("Location"),
            page_text(followed or response),
        )

    assert answers["stranger@example.org"] == answers["known@haven.test"]
    status, location, _ = answers["known@haven.test"]
    assert status == 302
    assert location == reverse("account_reset_password_done")
    assert [message.to for message in mail.outbox] == [["known@haven.test"]]


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("accounts:invite", []),
        ("sessions_booking:setup_venue_create", []),
        ("sessions_booking:setup_message_edit", ["pl", "discreet"]),
    ],
)
def test_staff_pages_with_scripts_of_their_own_keep_the_staff_scripts(
    client, sign_in, url_name, args
):
    """A page adding a script must keep the staff layout's (Bootstrap's navigation and
    the idle-timeout warning): `{{ block.super }}`."""
    sign_in(UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True))
    html = client.get(reverse(url_name, args=args)).content.decode()
    assert '<script src="/static/js/session-timeout.js" defer></script>' in html
    assert "bootstrap.bundle.min.js" in html
    assert "js/referral-form.js" in html
