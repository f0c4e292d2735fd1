"""Planning group sessions in tests: arguments for a session or a weekly series, a booking,
what a refusal says, and what a page shows."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from sessions_booking.models import (
    Booking,
    BookingStatus,
)
from tests.support.factories import ReferralFactory

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def session_args(programme, venue, facilitator=None, **overrides):
    starts_at = overrides.pop("starts_at", london(2026, 12, 7, 18, 0))
    return {
        "programme": programme,
        "venue": venue,
        "facilitator": facilitator,
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + timedelta(hours=2)),
        "capacity": 12,
        "creche_places": 4,
        "booking_cutoff_hours": 2,
        **overrides,
    }


def series_args(programme, venue, facilitator=None, **overrides):
    return {
        "programme": programme,
        "venue": venue,
        "facilitator": facilitator,
        "first_date": date(2026, 10, 12),
        "start_time": time(18, 0),
        "duration_minutes": 120,
        "weeks": 8,
        "skip_dates": [],
        "capacity": 12,
        "creche_places": 4,
        "booking_cutoff_hours": 2,
        **overrides,
    }


BEFORE = london(2026, 10, 1, 9, 0)  # "now" for sessions planned in October and later


def book(session, *, by, team, status=BookingStatus.CONFIRMED, children=0):
    # A name no page here shows otherwise (a random "Rose" would be found in "Rose House").
    referral = ReferralFactory(team=team, preferred_name=f"Bookedwoman{Booking.objects.count()}")
    return Booking.objects.create(
        session=session, referral=referral, status=status, children_in_creche=children,
        booked_by=by,
    )  # fmt: skip


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def input_value(response, name) -> str | None:
    match = re.search(
        rf'<(?:input|textarea)[^>]*name="{name}"[^>]*?(?:value="([^"]*)"[^>]*)?>([^<]*)',
        response.content.decode(),
    )
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def selected_value(response, name) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', response.content.decode(), re.S)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0)) if select else None
    return chosen.group(1) if chosen else None


# A programme as the staff page and the Django admin post it.
PROGRAMME_DATA = {
    "name": "Open drop-in",
    "description": "Come along.",
    "women_only": "",
    "default_capacity": "15",
    "default_creche_places": "0",
    "reminder_offsets_hours": "48, 2",
}
