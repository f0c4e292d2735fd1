"""The dashboard counts interpreter needs per language: women booked into the range's
sessions who need an interpreter, and the interpreters asked of the agency by status."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.permissions import Role
from reports.selectors import session_figures
from reports.selectors.scope import Scope
from sessions_booking.models import Booking, BookingStatus, InterpreterRequest
from tests.support.factories import GroupSessionFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 2)


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=LONDON)


def texts(table):
    return {label: [f.text for f in figures] for label, figures in table.rows}


@pytest.fixture(autouse=True)
def after_those_weeks(time_machine):
    """The sessions are in March 2026; the figures are read on a fixed day after them."""
    time_machine.move_to(datetime(2026, 6, 1, 12, tzinfo=LONDON), tick=False)


def test_interpreter_needs_per_language(team):
    worker = UserFactory(team=team, roles={Role.KEYWORKER})
    first = GroupSessionFactory(starts_at=at(MONDAY))
    second = GroupSessionFactory(starts_at=at(MONDAY + timedelta(days=7)))
    outside = GroupSessionFactory(starts_at=at(MONDAY + timedelta(days=30)))
    needs = [
        (first, "ur", BookingStatus.CONFIRMED),
        (first, "ur", BookingStatus.WAITLISTED),
        (second, "ur", BookingStatus.ATTENDED),
        (second, "pl", BookingStatus.CONFIRMED),
        (second, "pl", BookingStatus.CANCELLED),  # cancelled: no longer needs one
        (second, "", BookingStatus.CONFIRMED),  # needs none
        (outside, "ur", BookingStatus.CONFIRMED),  # outside the range
    ]
    for session, language, status in needs:
        Booking.objects.create(
            session=session, referral=ReferralFactory(team=team), status=status,
            interpreter_language=language, booked_by=worker,
        )  # fmt: skip
    for session, language, status in [
        (first, "ur", "confirmed"),
        (second, "ur", "requested"),
        (second, "pl", "booked"),
        (outside, "ur", "requested"),
    ]:
        InterpreterRequest.objects.create(
            session=session, language=language, status=status, requested_by=worker
        )

    scope = Scope(MONDAY, MONDAY + timedelta(days=13), team, None, suppress=False)
    table = session_figures.interpreter_needs(scope)

    assert texts(table) == {
        "Polish": ["1", "0", "1", "0", "0"],
        "Urdu": ["3", "1", "0", "1", "0"],
    }
