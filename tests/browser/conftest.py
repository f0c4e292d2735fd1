"""Real-browser tests: the system's Chromium (Debian package) driven by Playwright.

Playwright never downloads a browser here: we point it at /usr/bin/chromium. `.ci/run` and
`make test` install Chromium with apt when it is missing.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.support.factories import TeamFactory

# Playwright's sync API keeps an event loop running in the main thread for the session; the
# ORM calls tests make beside it are plain synchronous calls. Haven has no async code paths.
# (tests/config/test_production_settings.py removes this from the processes it starts.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    from django.db import connections

    # What a transactional, serialized-rollback test restores after a flush (the roles and
    # their permissions, from the data migrations) is kept on the connection object. Once
    # Playwright runs its event loop in this thread, Django hands out another connection
    # object (its connections are context-local), which would not have it: the first browser
    # test after another transactional test then found no roles. Give the new one the same.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """A page the size of a small phone (360 px wide)."""
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def staff_browser(chromium, live_server, settings):
    """``staff_browser(user)``: a desktop browser page signed in as ``user`` (who must have
    MFA set up). Signing in through allauth's own pages is tested in test_staff_in_browser."""
    from django.test import Client

    contexts = []

    def open_as(user, *, width=1280):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def site(live_server, settings):
    """The live server's address, set up for the public journeys: a team covering B12,
    "Exit this page" leading back to the server (so tests can see where she went), and
    no too-fast check (a browser test fills a step in milliseconds)."""
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz?left=1"
    TeamFactory(name="Birmingham", postcode_districts=["B12"], is_default=True)
    return live_server.url
