"""Group configuration in the Django admin: configuration models only, the same rules
as the staff pages."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from sessions_booking.models import (
    Booking,
    GroupSession,
    Programme,
    SessionSeries,
    Venue,
)
from tests.support.group_sessions import PROGRAMME_DATA

pytestmark = pytest.mark.django_db


# --- The Django admin --------------------------------------------------------------------------


ADMIN_PERMISSIONS = [
    "view_venue", "add_venue", "change_venue",
    "view_programme", "add_programme", "change_programme",
    "view_sessionseries", "view_groupsession",
]  # fmt: skip


def test_configuration_models_are_in_the_django_admin_and_bookings_are_not():
    for model in (Venue, Programme, SessionSeries, GroupSession):
        assert model in admin.site._registry
    assert Booking not in admin.site._registry


def test_service_admins_use_the_same_rules_in_the_django_admin(client, sign_in, service_admin):
    service_admin.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="sessions_booking", codename__in=ADMIN_PERMISSIONS
        )
    )
    sign_in(service_admin)
    for model in ("venue", "programme", "sessionseries", "groupsession"):
        assert client.get(f"/django-admin/sessions_booking/{model}/").status_code == 200
    data = {**PROGRAMME_DATA, "reminder_offsets_hours": "24"}
    response = client.post("/django-admin/sessions_booking/programme/add/", data)
    assert response.status_code == 200  # shown again with the error
    assert "Tick the box to confirm" in response.content.decode()
    assert not Programme.objects.exists()
    response = client.post(
        "/django-admin/sessions_booking/programme/add/",
        {**data, "confirm_open_to_everyone": "on"},
    )
    assert response.status_code == 302
    assert client.get("/django-admin/sessions_booking/groupsession/add/").status_code == 403
