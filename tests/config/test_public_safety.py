"""Quick exit and no trace on every page a visitor can reach: a visitor can leave at once,
and nothing she saw stays in the browser's cache."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.support.urls import argument_free_paths

# Paths that are not pages for people: machine endpoints and the technical admin.
NOT_PAGES = ("healthz", "django-admin/")


def wizard_step_paths():
    from referrals.views.public import ProfessionalReferralWizard, SelfReferralWizard

    for url_name, wizard in (
        ("public:self_referral_step", SelfReferralWizard),
        ("public:professional_referral_step", ProfessionalReferralWizard),
    ):
        for step, _form in wizard.form_list:
            yield reverse(url_name, kwargs={"step": step})


def anonymous_html_pages(client):
    pages = {}
    for path in sorted(set(argument_free_paths()) | set(wizard_step_paths())):
        if path.lstrip("/").startswith(NOT_PAGES):
            continue
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[path] = response
    return pages


@pytest.fixture
def public_pages(client, db):
    pages = anonymous_html_pages(client)
    # The walk must find the pages we know are public, or it proves nothing.
    assert {"/", reverse("account_login"), "/refer/about/", "/refer/professional/check/"} <= set(
        pages
    )
    return pages


def test_every_anonymous_page_has_a_quick_exit_link_that_works_without_javascript(public_pages):
    for path, response in public_pages.items():
        html = response.content.decode()
        link = re.search(r"<a [^>]*data-quick-exit[^>]*>", html)
        assert link, f"{path} has no quick-exit control"
        # A plain link: without JavaScript, clicking it still leaves for the neutral site.
        assert f'href="{reverse("referrals:quick_exit")}"' in link.group(0), path
        assert 'rel="noreferrer"' in link.group(0), path
        # It comes first after the skip link, so it is at the top and first in tab order.
        first_link = re.findall(r"<a [^>]*>", html)[1]
        assert "data-quick-exit" in first_link, f"{path}: quick exit is not the first control"
        assert "js/quick-exit.js" in html, f"{path} does not load the quick-exit script"


def test_quick_exit_script_replaces_history_and_listens_for_three_shift_presses():
    script = (settings.BASE_DIR / "static/js/quick-exit.js").read_text()
    assert "window.location.replace(destination)" in script
    assert 'event.key !== "Shift"' in script
    assert "shiftPresses >= 3" in script


def test_public_pages_send_no_trace_headers(public_pages):
    for path, response in public_pages.items():
        assert "no-store" in response["Cache-Control"], path
        assert response["Referrer-Policy"] == "no-referrer", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path


def test_content_security_policy_allows_only_our_own_scripts_and_styles(public_pages):
    for path, response in public_pages.items():
        policy = response["Content-Security-Policy"]
        directives = {
            part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
        }
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert "unsafe-inline" not in policy, path
        assert "unsafe-eval" not in policy, path


def test_pages_load_nothing_from_another_site(public_pages):
    for path, response in public_pages.items():
        html = response.content.decode()
        external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', html)
        assert not external, f"{path} loads third-party assets: {external}"
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts, path
        for tag in scripts:
            assert 'src="/static/' in tag, f"{path} has an inline script, which CSP would block"


def test_pages_have_a_language_a_skip_link_and_landmarks(public_pages):
    for path, response in public_pages.items():
        html = response.content.decode()
        assert re.search(r'<html lang="en-gb" dir="ltr">', html), path
        assert 'href="#main-content"' in html, path
        assert '<main id="main-content"' in html, path
        assert "<header" in html, path
        assert "<footer" in html, path
        assert re.search(r"<title>[^<]+ – Haven</title>", html), path


def test_bootstrap_is_served_from_our_own_static_files(public_pages):
    vendored = settings.BASE_DIR / "static/vendor/bootstrap"
    assert (vendored / "bootstrap.min.css").stat().st_size > 100_000
    assert (vendored / "VERSION").read_text().startswith("bootstrap 5.")
    html = public_pages["/"].content.decode()
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in html


def test_the_quick_exit_forgets_her_answers_and_leaves_for_the_neutral_site(client, db):
    from tests.support.factories import TeamFactory
    from tests.support.referral_journey import SELF, VALID_ANSWERS, step_url

    TeamFactory(name="Birmingham", postcode_districts=["B12"], is_default=True)
    answers = {f"about-{name}": value for name, value in VALID_ANSWERS["about"].items()}
    client.post(step_url(SELF, "about"), {f"{SELF['prefix']}-current_step": "about", **answers})
    typed = VALID_ANSWERS["about"]["preferred_name"]
    assert typed in client.get(step_url(SELF, "about")).content.decode()
    session_key = client.session.session_key
    assert session_key

    response = client.get(reverse("referrals:quick_exit"))

    assert response.status_code == 302
    assert response["Location"] == settings.QUICK_EXIT_URL
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response["Cache-Control"]
    assert response.cookies["sid"].value == ""  # her session cookie is deleted
    assert response.cookies["csrf"].value == ""
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    # Back to the step she had answered: nothing of hers is on it.
    assert typed not in client.get(step_url(SELF, "about")).content.decode()


def test_phone_numbers_read_left_to_right_in_a_right_to_left_page(client, db):
    """In Urdu, groups of digits separated by spaces are laid out right to left unless
    marked: 0808 2000 247 would show as 247 2000 0808, a wrong number."""
    html = client.get("/ur/").content.decode()
    assert 'dir="rtl"' in html
    numbers = re.findall(r"<a href=\"tel:(\d+)\"([^>]*)>", html)
    assert {"08082000247", "116123", "03001236600"} <= {number for number, _rest in numbers}
    for number, rest in numbers:
        if len(number) > 3:
            assert 'dir="ltr"' in rest, number
    assert f'<bdi dir="ltr">{settings.SERVICE_PHONE}</bdi>' in html
