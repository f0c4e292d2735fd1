"""Waits for partner support on the dashboard, against hand-worked figures: women waiting
now and for how long, time from need to support (median, 90th percentile, share within the
partner's stated wait), the weekly trend, the longest mental-health waits, small-number
suppression, and the audited CSV export."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from partners.choices import OnwardStatus
from partners.models import OnwardReferral, SupportNeed
from referrals.choices import Status
from reports.selectors import partner_figures
from reports.selectors.scope import Scope
from tests.support.factories import ReferralFactory, TeamFactory, UserFactory, partner_service

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TODAY = date(2027, 6, 16)  # a Wednesday
START = TODAY - timedelta(weeks=12)


def at(day: date) -> datetime:
    return datetime.combine(day, time(23, 30), tzinfo=LONDON)  # late: the local date counts


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.combine(TODAY, time(12, 0), tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def north():
    return TeamFactory(name="North")


@pytest.fixture
def keyworker(north):
    return UserFactory(team=north, roles={Role.KEYWORKER})


def partner_referral(team, by, service, *, recorded, started=None, status=None, case=None):
    case = case or ReferralFactory(team=team, assigned_to=by, status=Status.ACTIVE)
    need = SupportNeed.objects.create(
        referral=case, kind=service.kind, source="assessment", recorded_by=by,
        recorded_at=at(recorded),
    )  # fmt: skip
    return OnwardReferral.objects.create(
        referral=case, need=need, service=service, shared_details=["name"],
        consent_given_on=recorded, consent_version="test", consent_recorded_by=by,
        sent_on=recorded, support_started_on=started,
        status=status or (OnwardStatus.SUPPORT_STARTED if started else OnwardStatus.SENT),
    )  # fmt: skip


@pytest.fixture
def waits(frozen, north, keyworker):
    """Mental health (stated wait 42 days): five women started, after 10, 20, 30, 40 and 60
    days; three waiting now, for 50, 15 and 7 days; one waiting on a closed case, one who
    declined. Housing (stated 10 days): one waiting 3 days."""
    therapy = partner_service(name="Talking Therapies", teams=[north], wait=42)
    housing = partner_service(name="Housing Options", kind="housing", teams=[north], wait=10)
    for took in (10, 20, 30, 40, 60):
        started = TODAY - timedelta(days=7 * (took // 10))
        partner_referral(north, keyworker, therapy, recorded=started - timedelta(days=took),
                         started=started)  # fmt: skip
    longest = [
        partner_referral(north, keyworker, therapy, recorded=TODAY - timedelta(days=d))
        for d in (50, 15, 7)
    ]
    closed = ReferralFactory(team=north, status=Status.CLOSED, closed_reason="completed")
    partner_referral(north, keyworker, therapy, recorded=TODAY - timedelta(days=90), case=closed)
    partner_referral(north, keyworker, therapy, recorded=TODAY - timedelta(days=5),
                     status=OnwardStatus.DECLINED_BY_HER)  # fmt: skip
    partner_referral(north, keyworker, housing, recorded=TODAY - timedelta(days=3))
    # Another team's woman: never in North's figures.
    south = TeamFactory(name="South")
    partner_referral(south, UserFactory(team=south), therapy, recorded=TODAY - timedelta(days=99))
    return {"therapy": therapy, "longest": longest}


def row(table, label):
    return [figure.text for figure in dict(table.rows)[label]]


def test_waits_by_kind_for_a_team(waits, north):
    table = partner_figures.waits_by_kind(Scope(START, TODAY, north, None, suppress=False))
    # Waiting: 3 women (median 15, longest 50); started: 5 (median 30, p90 52 = 40 + 0.6 x 20);
    # within 42 days: 10, 20, 30, 40 -> 4 of 5.
    assert row(table, "Mental health") == ["3", "15.0", "50.0", "5", "30.0", "52.0", "80%"]
    assert row(table, "Housing") == ["1", "3.0", "3.0", "0", "—", "—", "—"]
    assert [label for label, _ in table.rows] == ["Mental health", "Housing"]


def test_waits_by_partner_and_the_trend(waits, north):
    scope = Scope(START, TODAY, north, None, suppress=False)
    by_partner = partner_figures.waits_by_partner(scope)
    assert row(by_partner, "Talking Therapies Trust: Talking Therapies")[:2] == ["42", "3"]
    assert row(by_partner, "Housing Options Trust: Housing Options")[:2] == ["10", "1"]
    trend = partner_figures.waits_trend(scope)
    assert len(trend.rows) == 12
    started = [figures[0].value for _label, figures in trend.rows]
    assert sum(started) == 5
    # The 60-day wait started 6 weeks ago, outside its partner's stated 42 days.
    six_weeks_ago = [f.text for f in trend.rows[-7][1]]
    assert six_weeks_ago == ["1", "60.0", "0%"]


def test_the_longest_mental_health_waits_name_her_case_for_her_team_only(waits, north):
    team_view = partner_figures.longest_mental_health_waits(
        Scope(START, TODAY, north, None, suppress=False)
    )
    longest = waits["longest"]
    assert [label for label, _ in team_view.rows] == [o.referral.display_reference for o in longest]
    assert [figures[1].text for _, figures in team_view.rows] == ["50", "15", "7"]
    service_view = partner_figures.longest_mental_health_waits(
        Scope(START, TODAY, None, None, suppress=True)
    )
    assert service_view.rows == []  # 4 women waiting service-wide: fewer than 5
    assert "Fewer than 5" in service_view.note


def test_small_numbers_are_hidden_outside_the_team(waits):
    table = partner_figures.waits_by_kind(Scope(START, TODAY, None, None, suppress=True))
    # Four waiting across the service (North's three and South's one): "<5", and days "n<5".
    assert row(table, "Mental health")[:4] == ["<5", "n<5", "n<5", "5"]


def test_the_team_lead_sees_the_waits_and_exports_them_audited(client, sign_in, waits, north):
    lead = UserFactory(team=north, roles={Role.TEAM_LEAD})
    sign_in(lead)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Waits for partner support" in page
    assert "Longest waits for mental-health support now" in page
    assert waits["longest"][0].referral.display_reference in page
    response = client.get(reverse("reports:table_csv", args=["partner-waits-by-kind"]))
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kind of support,Women waiting now")
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED_REPORT)
    assert (event.actor, event.detail["table"]) == (lead, "partner-waits-by-kind")
