"""Only service admins reach the group set-up pages; others get a 404 and cannot post."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.permissions import Role
from sessions_booking.models import (
    Venue,
)
from sessions_booking.services import scheduling
from sessions_booking.services.interpreters import request_interpreter
from tests.support.factories import UserFactory
from tests.support.group_sessions import (
    series_args,
)
from tests.support.urls import url_names

pytestmark = pytest.mark.django_db


# --- Who may use the pages ----------------------------------------------------------------------


@pytest.fixture
def group_world(programme, venue, team, service_admin):
    series = scheduling.create_weekly_series(
        **series_args(programme, venue, first_date=timezone.localdate() + timedelta(days=7))
    )
    session = series.sessions.first()
    return {
        "series": series,
        "session": session,
        "interpreter": request_interpreter(actor=service_admin, session=session, language="pl"),
        "people": {
            "keyworker": UserFactory(team=team, roles={Role.KEYWORKER}),
            "team_lead": UserFactory(team=team, roles={Role.TEAM_LEAD}),
            "service_admin": service_admin,
        },
    }


def setup_urls(group_world):
    """Every groups setup URL in the URL configuration, so a new page cannot be left out."""
    pks = {
        "venue": group_world["session"].venue_id,
        "programme": group_world["session"].programme_id,
        "session": group_world["session"].pk,
        "series": group_world["series"].pk,
        "interpreter": group_world["interpreter"].pk,
    }
    names = url_names("sessions_booking:setup_")
    assert len(names) == 18
    urls = []
    for name in names:
        if name == "sessions_booking:setup_message_edit":
            urls.append(reverse(name, args=["pl", "discreet"]))
            continue
        if name == "sessions_booking:setup_interpreter_create":
            urls.append(reverse(name, args=[pks["session"]]))
            continue
        kind = next((kind for kind in pks if f"_{kind}_" in f"{name}_"), None)
        needs_pk = name.endswith(("_edit", "_detail", "_cancel"))
        urls.append(reverse(name, args=[pks[kind]] if needs_pk else []))
    return urls


@pytest.mark.parametrize("who", ["anonymous", "keyworker", "team_lead", "service_admin"])
def test_only_service_admins_see_the_group_pages(client, sign_in, group_world, who):
    if who != "anonymous":
        sign_in(group_world["people"][who])
    for url in setup_urls(group_world):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
        elif who == "service_admin":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("who", ["keyworker", "team_lead"])
def test_others_cannot_change_or_cancel_anything_by_posting(client, sign_in, group_world, who):
    sign_in(group_world["people"][who])
    session = group_world["session"]
    assert (
        client.post(reverse("sessions_booking:setup_session_cancel", args=[session.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("sessions_booking:setup_venue_create"), {"name": "Sneaky", "address": "Somewhere"}
    )
    assert response.status_code == 404
    session.refresh_from_db()
    assert not session.is_cancelled
    assert not Venue.objects.filter(name="Sneaky").exists()


def test_the_groups_link_is_in_the_staff_menu_for_service_admins_only(client, sign_in, group_world):
    sign_in(group_world["people"]["service_admin"])
    assert (
        reverse("sessions_booking:setup_calendar")
        in client.get(reverse("home:staff_home")).content.decode()
    )
    client.logout()
    sign_in(group_world["people"]["keyworker"])
    assert (
        reverse("sessions_booking:setup_calendar")
        not in client.get(reverse("home:staff_home")).content.decode()
    )
