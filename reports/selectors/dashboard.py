"""The dashboard: which tables it shows, in which sections, for a scope."""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from reports.charts import chart_for
from reports.selectors import partner_figures, referral_figures, session_figures
from reports.selectors.scope import Scope
from reports.tables import Table


@dataclass
class Section:
    slug: str
    title: str
    tables: list[Table]


def _referral_tables(scope: Scope) -> list[Table]:
    tables = [referral_figures.referrals_per_week(scope)]
    if scope.team is None:
        tables.append(referral_figures.referrals_by_team(scope))
    return tables


def _waiting_tables(scope: Scope) -> list[Table]:
    return list(referral_figures.waiting_times(scope))


def _session_tables(scope: Scope) -> list[Table]:
    return [
        session_figures.sessions_by_programme(scope),
        session_figures.sessions_by_venue(scope),
        session_figures.waitlists(scope),
        session_figures.interpreter_needs(scope),
    ]


# Section slug, title, and the function that builds its tables.
SECTIONS = [
    ("referrals", _("Referrals"), _referral_tables),
    ("waiting", _("Waiting times"), _waiting_tables),
    ("sessions", _("Group sessions"), _session_tables),
    ("needs", _("Unmet needs"), lambda scope: [referral_figures.unmet_needs(scope)]),
    ("partner_waits", _("Waits for partner support"), partner_figures.partner_tables),
    ("caseloads", _("Caseloads"), lambda scope: [referral_figures.caseloads(scope)]),
]


def dashboard(scope: Scope) -> list[Section]:
    sections = []
    for slug, title, build in SECTIONS:
        tables = build(scope)
        for table in tables:
            table.drawn = chart_for(table)
        sections.append(Section(slug, title, tables))
    return sections


# Which section builds each table, so an export runs only that section's queries.
TABLE_SECTIONS = {
    "referrals-per-week": "referrals",
    "referrals-by-team": "referrals",
    "waiting-times": "waiting",
    "contacted-within-two-working-days": "waiting",
    "waiting-times-trend": "waiting",
    "sessions-by-programme": "sessions",
    "sessions-by-venue": "sessions",
    "waitlists": "sessions",
    "unmet-needs": "needs",
    "partner-waits-by-kind": "partner_waits",
    "partner-waits-by-partner": "partner_waits",
    "partner-waits-trend": "partner_waits",
    "longest-mental-health-waits": "partner_waits",
    "caseloads": "caseloads",
}


def table_named(scope: Scope, slug: str) -> Table:
    """One table, for its CSV export; 404 for a name the scope does not show."""
    builders = {section: build for section, _title, build in SECTIONS}
    section = TABLE_SECTIONS.get(slug)
    for table in builders[section](scope) if section else []:
        if table.slug == slug:
            return table
    raise Http404("No such table")
