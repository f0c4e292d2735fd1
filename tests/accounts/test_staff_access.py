"""Who may see and do what, by role, as one matrix over every staff URL.

A case outside someone's view is a 404 everywhere (page and every action), never a 403."""

import re

import pytest
from django.urls import reverse

from referrals.choices import Status
from tests.support.access import HIDDEN, LOGIN, MFA, OK, as_user, outcome
from tests.support.urls import all_routes, url_names

pytestmark = pytest.mark.django_db

PAGES = {
    # page: expected outcome per role
    "home:staff_home": {
        "keyworker": OK,
        "team_lead": OK,
        "service_admin": OK,
        "other_keyworker": OK,
    },
    "referrals:team_queue": {"keyworker": OK, "team_lead": OK, "service_admin": HIDDEN},
    "referrals:audit_log": {"keyworker": HIDDEN, "team_lead": OK, "service_admin": OK},
    # Casework staff read the partner directory; service admins keep it.
    "partners:directory": {"keyworker": OK, "team_lead": OK, "service_admin": OK},
    "partners:service_new": {"keyworker": HIDDEN, "team_lead": HIDDEN, "service_admin": OK},
    "partners:organisation_new": {"keyworker": HIDDEN, "team_lead": HIDDEN, "service_admin": OK},
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize(
    "who", ["anonymous", "no_mfa", "keyworker", "other_keyworker", "team_lead", "service_admin"]
)
def test_staff_pages_matrix(client, staff_world, page, who):
    expected = {"anonymous": LOGIN, "no_mfa": MFA, **PAGES[page]}
    expected.setdefault("other_keyworker", expected["keyworker"])
    response = as_user(client, staff_world, who).get(reverse(page))
    assert outcome(response) == expected[who]


CASE_EXPECTATIONS = {
    # who: (own case, queue case)
    "anonymous": (LOGIN, LOGIN),
    "no_mfa": (MFA, MFA),
    "keyworker": (OK, OK),
    "other_keyworker": (HIDDEN, OK),
    "team_lead": (OK, OK),
    "other_team_lead": (HIDDEN, HIDDEN),
    "service_admin": (HIDDEN, HIDDEN),
}


@pytest.mark.parametrize("who", list(CASE_EXPECTATIONS))
def test_case_page_matrix(client, staff_world, who):
    as_user(client, staff_world, who)
    own, queued = CASE_EXPECTATIONS[who]
    assert (
        outcome(client.get(reverse("referrals:case_detail", args=[staff_world["own_case"].pk])))
        == own
    )
    assert (
        outcome(client.get(reverse("referrals:case_detail", args=[staff_world["queue_case"].pk])))
        == queued
    )


def case_action_url_names():
    """Every case URL except the page itself, read from the URL configuration so that a
    new action cannot be forgotten here."""
    names = [name for name in url_names("referrals:case_") if name != "referrals:case_detail"]
    assert len(names) >= 6
    return names


ACTION_DATA = {
    "referrals:case_pick_up": {},
    "referrals:case_assign": {"keyworker": "0"},
    "referrals:case_change_status": {"target": "assessment"},
    "referrals:case_record_contact": {"channel": "sms", "outcome": "no_answer"},
    "referrals:case_add_note": {"text": "Checked in."},
    "referrals:case_next_contact": {"on": "2030-01-01"},
}


@pytest.mark.parametrize("name", case_action_url_names())
@pytest.mark.parametrize(
    "who", ["anonymous", "no_mfa", "other_keyworker", "other_team_lead", "service_admin"]
)
def test_every_case_action_is_hidden_from_those_who_cannot_see_the_case(
    client, staff_world, name, who
):
    as_user(client, staff_world, who)
    response = client.post(
        reverse(name, args=[staff_world["own_case"].pk]), ACTION_DATA.get(name, {})
    )
    expected = CASE_EXPECTATIONS[who][0]
    assert outcome(response) == expected, response.status_code
    staff_world["own_case"].refresh_from_db()
    assert staff_world["own_case"].status == Status.CONTACTING
    assert not staff_world["own_case"].notes.exists()


@pytest.mark.parametrize("name", case_action_url_names())
def test_case_actions_refuse_get(client, staff_world, name):
    as_user(client, staff_world, "keyworker")
    assert client.get(reverse(name, args=[staff_world["own_case"].pk])).status_code == 405


def test_unknown_case_ids_are_404_for_everyone(client, staff_world):
    as_user(client, staff_world, "team_lead")
    assert client.get(reverse("referrals:case_detail", args=[999_999])).status_code == 404


def test_referrals_and_audit_rows_are_not_in_the_django_admin():
    from django.contrib import admin

    from core.models import AuditEvent
    from referrals.models import CaseNote, ContactAttempt, Referral

    for model in (Referral, CaseNote, ContactAttempt, AuditEvent):
        assert model not in admin.site._registry


def test_role_permissions_in_the_database_match_the_code():
    from django.contrib.auth.models import Group

    from core.permissions import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        granted = set(
            Group.objects.get(name=role.group_name)
            .permissions.filter(content_type__app_label="referrals")
            .values_list("codename", flat=True)
        )
        assert granted == codenames, role


def every_staff_url(pk):
    """Every URL under /staff/ in the URL configuration, any integer argument filled with
    ``pk``: a new staff page is covered without anyone remembering to add it here."""
    for route in (route.route for route in all_routes()):
        if route.startswith("staff/"):
            # Ids (her case, a need or partner referral on it) get ``pk``; any other
            # parameter (a table's name) gets a plain word.
            yield "/" + re.sub(
                r"<(?:(\w+):)?(\w+)>",
                lambda m: str(pk) if m[1] == "int" or m[2] == "pk" else "x",
                route,
            )


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_staff_url_sends_anonymous_visitors_to_sign_in_and_others_to_mfa(
    client, staff_world, method
):
    urls = list(every_staff_url(staff_world["own_case"].pk))
    assert len(urls) >= 12
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), url
    client.force_login(staff_world["people"]["no_mfa"])
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("mfa_activate_totp")), url
