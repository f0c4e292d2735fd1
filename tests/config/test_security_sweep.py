"""Security checks over the whole URL configuration and the production cookies.

- CSRF: every URL in the URL configuration refuses a POST without the token (or with a wrong
  one, or from another origin), signed in or not, and accepts one with it; no view is exempt.
- Content-Security-Policy on staff pages and on public pages reached by a link with a token
  (the other public pages: tests/config/test_public_safety.py) has no 'unsafe-inline', and the
  pages need none (no inline script, style or event handler).
- The session and CSRF cookies production actually sends: Secure, HttpOnly, SameSite=Lax
  (tests/config/test_production_settings.py checks the settings' Secure and HttpOnly values).
- Sign-in throttling per IP address (tests/accounts/test_signed_in_session.py proves the per-address
  limit) and a password reset that answers a deactivated account like an unknown one.

`manage.py check --deploy` with zero warnings is proved by
tests/config/test_production_settings.py::test_check_deploy_has_no_warnings_in_production.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse

from core.permissions import Role
from referrals.choices import Status
from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from tests.support.factories import (
    TEST_PASSWORD,
    GroupSessionFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    enable_mfa,
)
from tests.support.processes import run_django
from tests.support.referral_journey import SELF, post_step
from tests.support.urls import all_routes

pytestmark = pytest.mark.django_db

# A CSRF secret as Django makes them (32 characters from its alphabet); the form sends the
# same value, which Django accepts unmasked.
CSRF_SECRET = "HavenCsrfSecretForTests0123456789"[:32]
# Our own page for a failed CSRF check (templates/403_csrf.html), not Django's technical one.
CSRF_FAILED = "This page was open too long"

# A value for each URL parameter, enough for the URL to resolve (the CSRF check runs before
# any view, so no object needs to exist).
PARAMETER_VALUES = {
    "pk": "1",
    "step": "about",
    "token": "AAAAAAAAAAAA",
    "language": "pl",
    "kind": "discreet",
    "key": "abc",
    "uidb36": "1",
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "app_label": "accounts",
    "url": "no-such-page/",
    "slug": "caseloads",
    "need_id": "1",
    "onward_id": "1",
}


def every_url() -> list[str]:
    """Every URL pattern in the URL configuration, filled in; each is checked to resolve to
    the pattern it came from, so none is silently skipped."""
    urls = []
    for route in all_routes():
        values = {name: PARAMETER_VALUES[name] for name in route.parameters}
        if route.name:
            name = f"{route.namespace}:{route.name}" if route.namespace else route.name
            url = reverse(name, kwargs=values)
        else:
            url = "/" + re.sub(
                r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)\$?",
                lambda m, values=values: values[m.group(1) or m.group(2)],
                route.route,
            )
        # (Django drops a regex's "^" when it joins an included pattern to its prefix.)
        assert resolve(url).route == route.route.replace("^", ""), (url, route.route)
        urls.append(url)
    assert len(urls) >= 100
    return urls


@pytest.fixture
def staff():
    team = TeamFactory(name="North")
    return {
        "keyworker": enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER})),
        "service_admin": enable_mfa(
            UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True)
        ),
    }


def browser(user=None, *, with_cookie=True) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    if with_cookie:
        client.cookies["csrf"] = CSRF_SECRET
    return client


# --- CSRF ---------------------------------------------------------------------------------


# Server-to-server callbacks, exempt from CSRF (no browser, no cookie) because a bearer
# token authenticates them instead: each refuses a POST without the token.
BEARER_TOKEN_URLS = ["/notify/delivery-status/"]


def test_no_view_is_exempt_from_csrf_but_the_callbacks_that_need_a_bearer_token():
    exempt = [url for url in every_url() if getattr(resolve(url).func, "csrf_exempt", False)]
    assert exempt == BEARER_TOKEN_URLS


@pytest.mark.parametrize("url", BEARER_TOKEN_URLS)
def test_the_callbacks_refuse_a_post_without_their_bearer_token(client, settings, url):
    settings.NOTIFY_CALLBACK_TOKEN = "t" * 40
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": "t" * 40}):
        response = client.post(url, "{}", content_type="application/json", **headers)
        assert response.status_code == 401, headers
    settings.NOTIFY_CALLBACK_TOKEN = ""  # not configured: the address does not exist
    assert client.post(url, "{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "keyworker", "service_admin"])
def test_every_url_refuses_a_post_without_the_right_token(staff, who):
    user = None if who == "anonymous" else staff[who]
    without_cookie, with_cookie = browser(user, with_cookie=False), browser(user)
    for url in [url for url in every_url() if url not in BEARER_TOKEN_URLS]:
        attempts = {
            "no cookie, no token": without_cookie.post(url, {"x": "1"}),
            "no token": with_cookie.post(url, {"x": "1"}),
            "wrong token": with_cookie.post(url, {"csrfmiddlewaretoken": "B" * 32}),
            "another origin": with_cookie.post(
                url, {"csrfmiddlewaretoken": CSRF_SECRET}, HTTP_ORIGIN="https://evil.example"
            ),
        }
        for attempt, response in attempts.items():
            assert response.status_code == 403, (who, attempt, url)
            assert CSRF_FAILED in response.content.decode(), (who, attempt, url)


def test_every_url_accepts_a_post_with_the_token():
    """The positive control, signed out (so that nothing is changed): with the token no POST
    fails the CSRF check, so the refusals above are about the token."""
    client = browser()
    for url in every_url():
        for headers in ({}, {"HTTP_ORIGIN": "http://testserver"}):
            response = client.post(url, {"csrfmiddlewaretoken": CSRF_SECRET}, **headers)
            assert CSRF_FAILED not in response.content.decode(), url


# --- Content-Security-Policy on staff pages -------------------------------------------------


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_staff_pages_have_a_strict_content_security_policy_and_need_no_inline_code(staff):
    case = ReferralFactory(
        team=staff["keyworker"].team, assigned_to=staff["keyworker"], status=Status.CONTACTING
    )
    pages = {
        "keyworker": [
            reverse("home:staff_home"),
            reverse("referrals:team_queue"),
            reverse("referrals:case_detail", args=[case.pk]),
            reverse("sessions_booking:book_sessions", args=[case.pk]),
            reverse("mfa_index"),
        ],
        "service_admin": [
            reverse("sessions_booking:setup_calendar"),
            reverse("sessions_booking:setup_venue_create"),
            reverse("sessions_booking:setup_series_create"),
            reverse("sessions_booking:setup_message_edit", args=["en", "discreet"]),
            reverse("accounts:people"),
            reverse("accounts:invite"),
            reverse("referrals:audit_log"),
        ],
    }
    for who, urls in pages.items():
        client = browser(staff[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            policy = response["Content-Security-Policy"]
            found = directives(policy)
            assert found["script-src"] == ["'self'"], url
            assert found["style-src"] == ["'self'"], url
            assert found["frame-ancestors"] == ["'none'"], url
            assert "unsafe-inline" not in policy, url
            assert "unsafe-eval" not in policy, url
            html = response.content.decode()
            for tag in re.findall(r"<script\b[^>]*>", html):
                assert 'src="/static/' in tag, f"{url}: inline script, which CSP blocks"
            assert not re.search(r"<style\b", html), f"{url}: inline <style>, which CSP blocks"
            assert not re.search(r"\sstyle=\"", html), f"{url}: style attribute, CSP blocks it"
            assert not re.search(r"\son[a-z]+=\"", html), f"{url}: inline event handler"


def test_public_pages_reached_by_a_link_have_the_same_policy(staff, settings):
    """Pages with a token in the address, which test_public_safety's walk (argument-free
    pages) does not reach: her reminder link (valid and unknown) and the staff password
    link."""
    settings.REMINDER_LINK_RATE = "1000/h"
    keyworker = staff["keyworker"]
    by_keyworker = keyworker
    booking = book_client(
        actor=by_keyworker,
        referral=ReferralFactory(team=keyworker.team, assigned_to=keyworker),
        session=GroupSessionFactory(),
    )
    key = default_token_generator.make_token(keyworker)
    pages = {
        urlsplit(issue_link(booking)).path: 200,
        reverse("sessions_booking:booking_link", args=["AAAAAAAAAAAA"]): 404,
        reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(keyworker), "key": key},
        ): 200,
    }
    for url, status in pages.items():
        client = Client()
        response = client.get(url, follow=True)
        assert response.status_code == status, url
        policy = response["Content-Security-Policy"]
        assert directives(policy)["script-src"] == ["'self'"], url
        assert "unsafe-inline" not in policy, url
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag, f"{url}: inline script, which CSP blocks"
        assert not re.search(r"\sstyle=\"", html), f"{url}: style attribute, CSP blocks it"


# --- Cookies in production ------------------------------------------------------------------

COOKIE_PROBE = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory, override_settings

def view(request):
    request.session["seen"] = True
    get_token(request)
    return HttpResponse("ok")

# The production middleware and cookie settings; only where the session is kept differs
# (signed cookies, so that no database is needed: the cookie's flags do not depend on it).
with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
    request = RequestFactory().get("/", secure=True, HTTP_HOST="haven.example.org")
    middleware = SessionMiddleware(CsrfViewMiddleware(view))
    response = middleware(request)
print(json.dumps({
    name: {key: str(value) for key, value in morsel.items()}
    for name, morsel in response.cookies.items()
}))
"""


@pytest.mark.slow
def test_production_cookies_are_secure_http_only_and_same_site():
    result = run_django(COOKIE_PROBE)
    assert result.returncode == 0, result.stderr
    cookies = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(cookies) == {"sid", "csrf"}
    for name, flags in cookies.items():
        assert flags["secure"] == "True", name
        assert flags["httponly"] == "True", name
        assert flags["samesite"] == "Lax", name
    # Gone when the browser closes (a shared phone keeps nothing).
    assert cookies["sid"]["expires"] == ""
    assert cookies["sid"]["max-age"] == ""


def test_cookies_in_development_are_http_only_and_same_site(client):
    """The same flags, less Secure, on the real form: its page sets the CSRF token, her
    first answer starts the session (opening the form starts none)."""
    response = client.get(reverse("public:self_referral"), follow=True)
    assert response.status_code == 200
    assert post_step(client, SELF, "about").status_code == 302
    for name in ("sid", "csrf"):
        morsel = client.cookies[name]
        assert morsel["httponly"] is True, name
        assert morsel["samesite"] == "Lax", name


# --- Sign-in throttling and password reset ---------------------------------------------------


def sign_in_attempt(client, email, password, ip):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_ten_failed_sign_ins_from_one_address_lock_that_address_out_for_everyone(client):
    """allauth's 10 a minute per IP address: guessing many accounts' passwords from one
    machine stops, even for an account that has had no failure of its own."""
    enable_mfa(UserFactory(email="amara@haven.test", roles={Role.KEYWORKER}))
    for n in range(10):
        response = sign_in_attempt(client, f"guess{n}@haven.test", "wrong-password", "10.0.0.9")
        assert "Too many failed login attempts" not in response.content.decode(), n

    refused = sign_in_attempt(Client(), "amara@haven.test", TEST_PASSWORD, "10.0.0.9")
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    # From another address she signs in (password, then her authenticator).
    allowed = sign_in_attempt(Client(), "amara@haven.test", TEST_PASSWORD, "10.0.0.10")
    assert allowed.status_code == 302
    assert allowed["Location"] == reverse("mfa_authenticate")


def test_a_password_reset_answers_a_deactivated_account_like_an_unknown_one():
    """Extends test_session_security's known/unknown comparison: an account that exists but
    is deactivated gets the same answer and no email (a reset link must not bring it back)."""
    UserFactory(email="left@haven.test", roles={Role.KEYWORKER}, is_active=False)
    UserFactory(email="known@haven.test", roles={Role.KEYWORKER})
    answers = {}
    for address in ("left@haven.test", "nobody@haven.test", "KNOWN@haven.test"):
        client = Client()
        response = client.post(reverse("account_reset_password"), {"email": address})
        followed = client.get(response["Location"])
        answers[address] = (response.status_code, response["Location"], followed.status_code)
    assert len(set(answers.values())) == 1, answers
    assert [message.to for message in mail.outbox] == [["known@haven.test"]]
