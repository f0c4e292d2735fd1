"""Messages about a new referral: nothing unsafe, nothing identifying."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from core.messaging.safe_contact import SafeContactRules
from core.permissions import Role
from referrals.tasks import notify_team_of_new_referral, send_referral_confirmation
from tests.support.factories import ReferralFactory, TeamFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def rules(**overrides):
    values = {"safe_channels": frozenset({"sms"}), "safe_days": frozenset(), "safe_from": None,
              "safe_until": None}  # fmt: skip
    return SafeContactRules(**{**values, **overrides})


def test_a_channel_she_did_not_mark_safe_is_never_safe():
    assert rules().channel_is_safe("sms")
    assert not rules().channel_is_safe("email")
    assert not rules().may_send_now("email", now=datetime(2026, 12, 1, 11, tzinfo=LONDON))


def test_safe_days_and_hours_bound_when_she_may_be_contacted():
    weekday_mornings = rules(
        safe_days=frozenset({0, 1, 2, 3, 4}), safe_from=time(9), safe_until=time(12)
    )
    tuesday = datetime(2026, 12, 1, 10, 30, tzinfo=LONDON)
    assert weekday_mornings.moment_is_safe(tuesday)
    assert not weekday_mornings.moment_is_safe(tuesday.replace(hour=12))  # until is exclusive
    assert not weekday_mornings.moment_is_safe(tuesday.replace(hour=8, minute=59))
    assert not weekday_mornings.moment_is_safe(datetime(2026, 12, 5, 10, tzinfo=LONDON))  # Sat
    assert rules().moment_is_safe(datetime(2026, 12, 5, 3, tzinfo=LONDON))  # no limits given


def test_safe_hours_are_her_local_time_not_utc():
    afternoons = rules(safe_from=time(13), safe_until=time(17))
    # 12:30 UTC in June is 13:30 in London.
    assert afternoons.moment_is_safe(datetime(2026, 6, 10, 12, 30, tzinfo=ZoneInfo("UTC")))


def test_no_confirmation_is_sent_when_email_is_not_marked_safe():
    referral = ReferralFactory(safe_channels=["sms"], email="her@example.org")
    assert send_referral_confirmation(referral.pk) is False
    assert mail.outbox == []


def test_no_confirmation_is_sent_outside_her_safe_times():
    tomorrow = (timezone.localdate().weekday() + 1) % 7
    referral = ReferralFactory(
        safe_channels=["email"], email="her@example.org", safe_days=[tomorrow]
    )
    assert send_referral_confirmation(referral.pk) is False
    assert mail.outbox == []


def test_a_discreet_confirmation_goes_when_email_is_safe_now():
    referral = ReferralFactory(safe_channels=["email"], email="her@example.org")
    assert send_referral_confirmation(referral.pk) is True
    [message] = mail.outbox
    assert message.to == ["her@example.org"]
    assert referral.display_reference in message.body
    text = (message.subject + message.body + message.from_email).lower()
    for word in ("haven", "drug", "alcohol", "treatment", "abuse", "referral"):
        assert word not in text


def test_the_confirmation_names_the_service_only_if_she_allowed_it():
    referral = ReferralFactory(
        safe_channels=["email"], email="her@example.org", may_name_service=True
    )
    send_referral_confirmation(referral.pk)
    assert "Haven" in mail.outbox[0].subject


def test_the_team_is_told_but_other_teams_and_admins_are_not():
    team, other = TeamFactory(name="Birmingham"), TeamFactory(name="Stoke")
    keyworker = UserFactory(team=team, roles={Role.KEYWORKER})
    lead = UserFactory(team=team, roles={Role.TEAM_LEAD})
    UserFactory(team=team, roles={Role.KEYWORKER}, is_active=False)
    UserFactory(team=other, roles={Role.KEYWORKER})
    UserFactory(team=team, roles={Role.SERVICE_ADMIN})
    referral = ReferralFactory(team=team, preferred_name="Kasia")
    assert notify_team_of_new_referral(referral.pk) == 2
    [message] = mail.outbox
    assert sorted(message.to) == sorted([keyworker.email, lead.email])
    assert "Kasia" not in message.body
    assert referral.reference not in message.body


def test_a_team_with_nobody_to_tell_sends_nothing():
    referral = ReferralFactory(team=TeamFactory(name="Empty"))
    assert notify_team_of_new_referral(referral.pk) == 0
    assert mail.outbox == []
