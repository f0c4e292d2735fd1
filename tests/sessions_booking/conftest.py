"""Group sessions' fixtures: a facilitator, a venue without a crèche and a session planned
well ahead (the venue and programme most tests use are in tests/conftest.py)."""

import pytest

from core.permissions import Role
from sessions_booking.models import Venue
from sessions_booking.services import scheduling
from tests.support.factories import UserFactory
from tests.support.group_sessions import BEFORE, session_args


@pytest.fixture
def facilitator(team):
    return UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Grace Okafor")


@pytest.fixture
def venue_without_creche():
    return Venue.objects.create(name="Library room", address="2 High Street, B2 2BB")


@pytest.fixture
def planned(programme, venue, facilitator):
    """A session on 7 December 2026, planned well before it."""
    return scheduling.create_session(**session_args(programme, venue, facilitator), now=BEFORE)
