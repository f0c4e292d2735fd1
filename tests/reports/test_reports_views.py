"""The dashboard pages and CSV exports: who may see them, what they show each role, bad
filters, the audit trail, CSV injection, and a constant number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from referrals.choices import Status
from referrals.models import Referral
from tests.support.access import HIDDEN, LOGIN, MFA, OK, as_user, outcome
from tests.support.bulk import (
    make_bookings,
    make_partner_referrals,
    make_referrals,
    make_sessions,
)
from tests.support.factories import (
    ProgrammeFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    VenueFactory,
    partner_service,
)
from tests.support.queries import SIGNED_IN, measure

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "no_mfa", "keyworker", "team_lead", "other_team_lead", "service_admin"]
DASHBOARD = {"keyworker": HIDDEN, "team_lead": OK, "other_team_lead": OK, "service_admin": OK}
CASELOAD_CSV = {
    "keyworker": HIDDEN, "team_lead": OK, "other_team_lead": OK, "service_admin": HIDDEN,
}  # fmt: skip


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def received_days_ago(referral, n):
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=n))


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("url", ["reports:dashboard", "reports:table_csv", "reports:caseload_csv"])
def test_who_may_see_the_dashboard_and_its_exports(client, staff_world, who, url):
    expected = {"anonymous": LOGIN, "no_mfa": MFA}
    expected.update(CASELOAD_CSV if url == "reports:caseload_csv" else DASHBOARD)
    args = ["referrals-per-week"] if url == "reports:table_csv" else []
    response = as_user(client, staff_world, who).get(reverse(url, args=args))
    assert outcome(response) == expected[who]
    exported = AuditEvent.objects.filter(
        action__in=[AuditAction.EXPORTED_REPORT, AuditAction.EXPORTED_CASELOAD]
    )
    assert exported.exists() == (url != "reports:dashboard" and expected[who] == OK)


def test_a_team_lead_sees_her_own_team_exactly_and_cannot_ask_for_another(client, staff_world):
    north = staff_world["people"]["team_lead"].team
    south = staff_world["people"]["other_team_lead"].team
    for _ in range(3):
        received_days_ago(ReferralFactory(team=south, preferred_name="Southerner"), 2)
    as_user(client, staff_world, "team_lead")

    html = client.get(reverse("reports:dashboard"), {"team": south.pk}).content.decode()

    assert north.name in html
    assert 'name="team"' not in html  # no team filter for her
    assert "Referrals by team" not in html
    assert "Open cases per keyworker" in html
    # Her two cases (world's own and queued case), exactly; the south's three are not hers.
    per_week = html[html.index("Referrals per week") :]
    assert '<td class="text-end">2</td>' in per_week[: per_week.index("</table>")]
    assert "<5" not in per_week[: per_week.index("</table>")]


def test_a_service_admin_sees_the_whole_service_with_small_numbers_hidden(client, staff_world):
    south = staff_world["people"]["other_team_lead"].team
    for _ in range(6):
        ReferralFactory(team=south)
    as_user(client, staff_world, "service_admin")

    html = client.get(reverse("reports:dashboard")).content.decode()

    assert "Whole service" in html
    by_team = html[html.index("Referrals by team") :]
    by_team = by_team[: by_team.index("</table>")]
    assert '<th scope="row">North</th>' in by_team
    assert "&lt;5" in by_team  # North's 2
    assert '<td class="text-end">6</td>' in by_team  # South's 6
    assert "Open cases per team" in html

    one_team = client.get(reverse("reports:dashboard"), {"team": south.pk, "start": "", "end": ""})
    assert one_team.status_code == 400  # dates are required once the form is used


def test_bad_dates_get_an_error_summary_and_keep_what_was_typed(client, staff_world):
    as_user(client, staff_world, "team_lead")

    response = client.get(
        reverse("reports:dashboard"), {"start": "2026-10-01", "end": "2026-09-01"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "data-error-summary" in html
    assert 'href="#id_end"' in html
    assert "The end date must be on or after the start date." in html
    assert 'value="2026-10-01"' in html
    assert 'value="2026-09-01"' in html
    assert "Referrals per week" not in html  # no figures from a range that makes no sense

    too_long = client.get(
        reverse("reports:dashboard"), {"start": "2020-01-01", "end": "2026-01-01"}
    )
    assert too_long.status_code == 400
    assert "two years or less" in too_long.content.decode()


def test_a_table_export_is_audited_and_hides_small_numbers_even_for_the_team(client, staff_world):
    lead = staff_world["people"]["team_lead"]
    as_user(client, staff_world, "team_lead")
    today = timezone.localdate()

    response = client.get(
        reverse("reports:table_csv", args=["referrals-per-week"]),
        {"start": (today - timedelta(days=6)).isoformat(), "end": today.isoformat()},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response)
    assert rows[0] == ["Week", "Self-referrals", "Professional referrals", "All referrals",
                       "Share self-referred"]  # fmt: skip
    assert sum(row[3] == "<5" for row in rows[1:]) == 1  # her team's 2 referrals this week
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED_REPORT)
    assert event.actor == lead
    assert event.team == lead.team
    assert event.detail["table"] == "referrals-per-week"
    assert event.detail["start"] == (today - timedelta(days=6)).isoformat()


def test_an_unknown_table_is_404_and_not_audited(client, staff_world):
    as_user(client, staff_world, "service_admin")
    response = client.get(reverse("reports:table_csv", args=["every-womans-name"]))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


def test_the_team_caseload_export_neutralises_formulas_and_is_audited(client, staff_world):
    lead = staff_world["people"]["team_lead"]
    ReferralFactory(
        team=lead.team, preferred_name="=HYPERLINK(\"http://evil.example\",\"Click\")",
        status=Status.ACTIVE, assigned_to=staff_world["people"]["keyworker"],
    )  # fmt: skip
    for name in ("+SUM(A1)", "-2+3", "@cmd"):
        ReferralFactory(team=lead.team, preferred_name=name)
    ReferralFactory(team=lead.team, preferred_name="Closed", status=Status.CLOSED,
                    closed_reason="completed")  # fmt: skip
    ReferralFactory(team=staff_world["people"]["other_team_lead"].team, preferred_name="Southerner")
    as_user(client, staff_world, "team_lead")

    rows = read_csv(client.get(reverse("reports:caseload_csv")))

    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","Click")' in names
    assert {"'+SUM(A1)", "'-2+3", "'@cmd"} <= set(names)
    assert not any(name[:1] in "=+-@" for name in names if name)
    assert "Closed" not in names
    assert "Southerner" not in names
    assert len(rows) == 1 + 6  # header, world's two cases and the four above
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED_CASELOAD)
    assert (event.actor, event.team, event.detail["rows"]) == (lead, lead.team, 6)


def shows_referrals(html, size):
    weekly = html[html.index("Referrals per week") :]
    weekly = weekly[: weekly.index("</table>")]
    assert f'<td class="text-end">{size:,}</td>' in weekly, size


# The filters' choices (programmes; teams for a service admin), one query per table (three
# per group-session table: places, bookings, names; two for interpreter needs: women and
# requests; one for each of the four tables of waits for partner support), and her team
# for a team lead or the referrals-by-team table for a service admin.
DASHBOARD_BUDGETS = {"team_lead": SIGNED_IN + 19, "service_admin": SIGNED_IN + 20}


@pytest.mark.parametrize("viewer", list(DASHBOARD_BUDGETS))
def test_the_dashboard_runs_the_same_queries_for_5_and_500_referrals(client, sign_in, viewer):
    team = TeamFactory(name="Budget team")
    lead = UserFactory(team=team, roles={Role.TEAM_LEAD}, full_name="Lena Lead")
    admin = UserFactory(team=None, roles={Role.SERVICE_ADMIN}, full_name="Sam Admin")
    programme, venue = ProgrammeFactory(name="Recovery"), VenueFactory(name="Elm House")
    partners = [partner_service(name=f"Partner {n}", teams=[team]) for n in range(3)]
    sign_in(lead if viewer == "team_lead" else admin)

    def grow(n):
        """n more referrals, each booked into a session of her own last week and referred
        to a partner (a third of them with support started)."""
        women = make_referrals(n, team=team, assigned_to=lead, status=Status.ACTIVE)
        sessions = make_sessions(
            n, first=timezone.now() - timedelta(days=6), step=timedelta(minutes=1),
            programme=programme, venue=venue,
        )  # fmt: skip
        make_bookings(zip(sessions, women, strict=True), by=lead)
        today = timezone.localdate()
        for k, service in enumerate(partners):
            make_partner_referrals(
                women[k::3], service=service, by=lead,
                each=lambda i, k=k: {"status": "support_started", "support_started_on": today}
                if k == 0 else {},
            )  # fmt: skip

    def check(html, size):
        shows_referrals(html, size)
        by_kind = html[html.index("Waits for partner support, by kind of support") :]
        waiting = size - len(range(0, size, 3))  # all but those with support started
        shown = "&lt;5" if viewer == "service_admin" and waiting < 5 else f"{waiting:,}"
        assert f'<td class="text-end">{shown}</td>' in by_kind[: by_kind.index("</table>")]

    counts = measure(client, reverse("reports:dashboard"), grow, check=check)
    assert counts == [DASHBOARD_BUDGETS[viewer]] * 2
