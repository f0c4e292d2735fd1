"""Staff passwords to ASVS Level 2: on every path that sets one (her
first password from the invitation, a change, a reset), a password that is her own name or
e-mail address, or is known from breaches, is refused; when Pwned Passwords cannot be
reached, the common-password list still refuses the obvious ones."""

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pwned_passwords_django.api import PwnedPasswords

from tests.support.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

BREACHED = "correct horse battery staple"  # long enough, not in Django's common list
STRONG = "plum-kettle-orbit-9-lantern"


def sha1(password: str) -> str:
    return hashlib.sha1(password.encode()).hexdigest().upper()  # noqa: S324 - HIBP's format


@pytest.fixture
def fake_pwned_passwords(monkeypatch):
    """A Pwned Passwords range API on 127.0.0.1 that knows BREACHED (seen 3,861 times).
    It records the prefixes asked for: only five hex characters may leave the server."""
    asked = []

    class RangeAPI(BaseHTTPRequestHandler):
        def do_GET(self):
            prefix = self.path.rsplit("/", 1)[-1]
            asked.append(prefix)
            digest = sha1(BREACHED)
            lines = ["0018A45C4D1DEF81644B54AB7F969B88D65:1"]
            if digest.startswith(prefix):
                lines.append(f"{digest[5:]}:3861")
            body = "\r\n".join(lines).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), RangeAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(
        PwnedPasswords, "api_endpoint", f"http://127.0.0.1:{server.server_port}/range/"
    )
    yield asked
    server.shutdown()
    server.server_close()


def refused(password, user) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_her_own_name_or_email_address_is_refused(amara):
    assert refused("amarahussain", amara)
    assert refused("Amara Hussain!", amara)
    assert refused("amara.hussain@haven", amara)
    assert refused(STRONG, amara) == []


def test_a_breached_password_is_refused_and_only_a_hash_prefix_leaves(amara, fake_pwned_passwords):
    messages = refused(BREACHED, amara)
    assert messages, "a password seen in breaches was accepted"
    assert refused(STRONG, amara) == []
    assert fake_pwned_passwords == [sha1(BREACHED)[:5], sha1(STRONG)[:5]]


def test_when_pwned_passwords_cannot_be_reached_common_passwords_are_still_refused(amara, caplog):
    # The autouse fixture points the API at a port nobody listens on.
    assert refused("password1234", amara)
    assert refused(BREACHED, amara) == []  # not on the offline list: accepted, and logged
    assert "Falling back to Django CommonPasswordValidator" in caplog.text


def test_changing_her_password_refuses_a_breached_one(client, sign_in, amara, fake_pwned_passwords):
    sign_in(amara)
    url = reverse("account_change_password")
    response = client.post(
        url, {"oldpassword": TEST_PASSWORD, "password1": BREACHED, "password2": BREACHED}
    )
    assert response.status_code == 200
    amara.refresh_from_db()
    assert amara.check_password(TEST_PASSWORD)
    response = client.post(
        url,
        {"oldpassword": TEST_PASSWORD, "password1": "amarahussain", "password2": "amarahussain"},
    )
    amara.refresh_from_db()
    assert amara.check_password(TEST_PASSWORD)
    response = client.post(url, {"oldpassword": TEST_PASSWORD, "password1": STRONG,
                                 "password2": STRONG})  # fmt: skip
    assert response.status_code == 302
    amara.refresh_from_db()
    assert amara.check_password(STRONG)


@pytest.mark.parametrize("password", [BREACHED, "amarahussain"])
def test_her_first_password_from_the_invitation_link_is_checked_too(
    amara, fake_pwned_passwords, password
):
    """The invitation and the forgotten-password e-mail use the same set-password page."""
    amara.set_unusable_password()
    amara.save()
    key = default_token_generator.make_token(amara)
    link = reverse("account_reset_password_from_key",
                   kwargs={"uidb36": user_pk_to_url_str(amara), "key": key})  # fmt: skip
    browser = Client()
    set_password_url = browser.get(link)["Location"]
    response = browser.post(set_password_url, {"password1": password, "password2": password})
    assert response.status_code == 200
    amara.refresh_from_db()
    assert not amara.has_usable_password()
    response = browser.post(set_password_url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    amara.refresh_from_db()
    assert amara.check_password(STRONG)
