"""The public form's pages for visitors with no cookies, drawn once per process
(referrals/views/first_visit.py): each visitor still gets her own CSRF token and start
time, the page works as drawn, and anyone with a cookie gets the view as before."""

import re

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.views import first_visit
from referrals.views.public import STARTED_SALT
from tests.support.factories import TeamFactory
from tests.support.referral_journey import SELF, VALID_ANSWERS, step_url

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="self_referral_wizard-started" value="([^"]+)"')


@pytest.fixture
def first_step():
    TeamFactory(name="Birmingham", postcode_districts=["B12"], is_default=True)
    return step_url(SELF, "about")


def open_page(url, client=None):
    client = client or Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return client, response, len(queries)


def without_own_values(html: str) -> str:
    return STARTED.sub("S", TOKEN.sub("T", html))


def test_the_second_new_visitor_gets_the_kept_page_with_her_own_values(first_step):
    _first, drawn, drawn_queries = open_page(first_step)
    _second, kept, kept_queries = open_page(first_step)

    assert drawn_queries == 1  # the areas list for the postcode question
    assert kept_queries == 0  # not drawn again
    first_html, kept_html = drawn.content.decode(), kept.content.decode()
    assert without_own_values(kept_html) == without_own_values(first_html)
    assert TOKEN.search(kept_html)[1] != TOKEN.search(first_html)[1]
    started = signing.loads(STARTED.search(kept_html)[1], salt=STARTED_SALT)
    assert isinstance(started, float)
    # Her CSRF cookie is set, exactly as by the view.
    assert "csrf" in kept.cookies
    assert kept["Cache-Control"] == drawn["Cache-Control"]
    assert "no-store" in kept["Cache-Control"]


def test_the_kept_page_can_be_answered_with_csrf_checks_on(first_step):
    open_page(first_step)  # drawn and kept
    her = Client(enforce_csrf_checks=True)
    _her, kept, _q = open_page(first_step, her)
    html = kept.content.decode()
    answers = {f"about-{name}": value for name, value in VALID_ANSWERS["about"].items()}
    response = her.post(
        first_step,
        {
            "csrfmiddlewaretoken": TOKEN.search(html)[1],
            "self_referral_wizard-current_step": "about",
            "self_referral_wizard-started": STARTED.search(html)[1],
            **answers,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(SELF, "contact")


def test_anyone_with_a_cookie_gets_the_page_drawn_for_her(first_step):
    open_page(first_step)
    returning = Client()
    returning.cookies["csrf"] = "A" * 32  # a CSRF cookie from an earlier visit
    _client, _response, queries = open_page(first_step, returning)
    assert queries == 1  # drawn by the view, not kept


def test_a_kept_page_is_drawn_again_after_it_expires(first_step, monkeypatch):
    open_page(first_step)
    later = first_visit.time.monotonic() + first_visit.PAGE_SECONDS + 1
    monkeypatch.setattr(first_visit.time, "monotonic", lambda: later)
    _client, _response, queries = open_page(first_step)
    assert queries == 1


def test_pages_that_are_not_the_same_for_everyone_are_never_kept(first_step):
    # A query string, a redirect (the form's start address sends her to its first step).
    open_page(f"{first_step}?x=1")
    assert Client().get(reverse("public:self_referral")).status_code == 302
    assert first_visit._kept == {}
