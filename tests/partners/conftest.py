"""Her case, partner services in and out of her area, and an open mental-health need."""

import pytest

from partners.choices import NeedSource, SupportKind
from partners.services import support
from referrals.choices import Status
from tests.support.factories import ReferralFactory, TeamFactory, partner_service


@pytest.fixture
def her(team, amara):
    return ReferralFactory(
        team=team, assigned_to=amara, status=Status.ACTIVE, preferred_name="Jodie",
        full_name="Jodie Smith", phone="+447700900123", email="jodie@example.org",
        area_local_authority="Sandwell", wants_mental_health_support=True,
        postal_address="1 Secret Road",
    )  # fmt: skip


@pytest.fixture
def talking_therapies(team):
    return partner_service(name="Talking Therapies", teams=[team])


@pytest.fixture
def far_away():
    """A mental-health service for another team's area only."""
    return partner_service(name="Far Away Therapies", teams=[TeamFactory(name="South")])


@pytest.fixture
def mental_health_need(her, amara):
    return support.record_need(
        actor=amara, referral_id=her.pk, kind=SupportKind.MENTAL_HEALTH,
        detail="Trauma-focused, one to one", source=NeedSource.REFERRAL,
    )  # fmt: skip
