import uuid

import pytest

from core.permissions import Role
from referrals.choices import Status
from sessions_booking.models import Programme, Venue
from tests.support.dataprotection_world import build_world
from tests.support.factories import ReferralFactory, TeamFactory, UserFactory, enable_mfa


def pytest_collection_modifyitems(items):
    """Every transactional test also restores the database's rows after the flush
    (serialized_rollback): one that does not lets the flush re-create the content types and
    permissions under new ids, and the next test that restores them then collides with them."""
    plain = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db"))
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if plain:
        raise pytest.UsageError(
            "transactional tests need serialized_rollback=True: " + ", ".join(plain)
        )


# --clock / HAVEN_TEST_CLOCK: the whole suite on another day (README, "Testing").
pytest_plugins = ["tests.support.clock"]


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Give each test its own key space in the real Redis cache.

    Rate-limit counters (allauth's login throttling, for one) live in the cache; without this
    they would carry over between tests and between runs. Nothing is flushed, so a Redis that
    is shared with a running development server is left alone; the keys expire on their own.
    """
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    for config in caches.values():
        config["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def no_database_deadline_unless_drilled(settings):
    """The client-side deadline (config/db_deadline.py) is for production web processes; on a
    loaded test machine an ordinary query can take longer than 4.5 s and would be cut off.
    The fault drills that test the deadline set it themselves; the outage drills' gunicorn
    runs with the production default."""
    settings.DB_CLIENT_DEADLINE_SECONDS = 0


@pytest.fixture(autouse=True)
def wake_ups_start_afresh():
    """A wake-up that failed (a test with Redis down) silences wake-ups in this process for
    a while (notices.services.wake); the next test starts without that."""
    from notices.services import forget_failed_wake_ups

    forget_failed_wake_ups()
    yield
    forget_failed_wake_ups()


@pytest.fixture(autouse=True)
def no_kept_pages():
    """Pages drawn once for new visitors (referrals/views/first_visit.py) are kept per
    process; a test must not see a page drawn under another test's data or settings."""
    from referrals.views.first_visit import forget_kept_pages

    forget_kept_pages()
    yield
    forget_kept_pages()


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request to a language's address leaves that language active in this thread; the
    next test starts in the default language, whichever ran before it."""
    from django.conf import settings as django_settings
    from django.utils import translation

    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# Nothing listens on port 1: the breached-password check fails at once and falls back to
# Django's common-password list. Tests never reach the real Pwned Passwords API;
# tests/accounts/test_passwords.py points it at a fake one on 127.0.0.1.
UNREACHABLE_PWNED_PASSWORDS = "http://127.0.0.1:1/range/"


@pytest.fixture(autouse=True)
def pwned_passwords_stays_local(monkeypatch):
    from pwned_passwords_django.api import PwnedPasswords

    monkeypatch.setattr(PwnedPasswords, "api_endpoint", UNREACHABLE_PWNED_PASSWORDS)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness (~0.2 s per password) is for attackers, not for tests
    # that create several staff members each. Production keeps Django's default hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sign_in(client):
    """Sign a staff member in as if she had passed password and MFA: ``sign_in(user)``."""

    def sign_in(user, *, with_mfa=True):
        if with_mfa:
            enable_mfa(user)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def keyworker(db):
    return UserFactory(roles={Role.KEYWORKER})


@pytest.fixture
def staff_world():
    """Two teams (North and South), their staff with every role, her own case and one in
    the queue: what the access matrices and the IDOR sweep build on."""
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    people = {
        "keyworker": UserFactory(team=north, roles={Role.KEYWORKER}),
        "other_keyworker": UserFactory(team=north, roles={Role.KEYWORKER}),
        "team_lead": UserFactory(team=north, roles={Role.TEAM_LEAD}),
        "other_team_lead": UserFactory(team=south, roles={Role.TEAM_LEAD}),
        "service_admin": UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True),
        "data_protection": UserFactory(team=None, roles={Role.DATA_PROTECTION}),
        "no_mfa": UserFactory(team=north, roles={Role.KEYWORKER}),
    }
    for name, user in people.items():
        if name != "no_mfa":
            enable_mfa(user)
    own_case = ReferralFactory(
        team=north, assigned_to=people["keyworker"], status=Status.CONTACTING,
        safe_channels=["sms"],
    )  # fmt: skip
    queue_case = ReferralFactory(team=north, safe_channels=["sms"])
    return {"people": people, "own_case": own_case, "queue_case": queue_case}


# --- The people, team and places most tests need ------------------------------------------


@pytest.fixture
def team():
    return TeamFactory(name="North")


@pytest.fixture
def public_form_team(settings):
    """The team a referral through the public form lands in (the default team, for B12 and
    Birmingham), with the form's minimum time to fill it in switched off."""
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    return TeamFactory(
        name="Birmingham", postcode_districts=["B12"], local_authorities=["Birmingham"],
        is_default=True,
    )  # fmt: skip


@pytest.fixture
def service_admin():
    return UserFactory(
        email="sam@haven.test", full_name="Sam Admin", team=None,
        roles={Role.SERVICE_ADMIN}, is_staff=True,
    )  # fmt: skip


@pytest.fixture
def admin_client(client, sign_in, service_admin):
    """The test client, signed in as the service admin."""
    sign_in(service_admin)
    return client


@pytest.fixture
def amara(team):
    return enable_mfa(
        UserFactory(email="amara.hussain@haven.test", full_name="Amara Hussain", team=team,
                    roles={Role.KEYWORKER})
    )  # fmt: skip


@pytest.fixture
def beata(team):
    return enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Beata Kowalska"))


@pytest.fixture
def lead(team):
    return enable_mfa(UserFactory(team=team, roles={Role.TEAM_LEAD}, full_name="Priya Sandhu"))


@pytest.fixture
def venue():
    return Venue.objects.create(
        name="Rose House", address="1 Rose Street, Birmingham B1 1AA", creche_on_site=True,
        women_only_building=True, step_free=True,
    )  # fmt: skip


@pytest.fixture
def programme():
    return Programme.objects.create(
        name="Women's recovery group", description="A weekly group for women.",
        default_capacity=10, default_creche_places=4,
    )  # fmt: skip


@pytest.fixture
def open_programme():
    return Programme.objects.create(
        name="Family drop-in", description="All welcome.", women_only=False
    )


@pytest.fixture
def world():
    """Her, another woman and the staff around them, with something of every kind recorded
    about her (tests/support/dataprotection_world.py)."""
    return build_world()
