"""Figures about referrals and cases: how many arrive, how fast women are contacted and
seen, what they still need, and who carries the work. One aggregate query per table."""

from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Team, User
from core.permissions import Role
from referrals.choices import ContactOutcome, Housing, Language, Priority, Source, Status
from reports.selectors.scope import Scope
from reports.selectors.sql import EndOfSecondWorkingDay
from reports.tables import Table, count, days, share

# The standard UK drug and alcohol services are measured against: seen within 3 weeks.
SEEN_WITHIN = timedelta(weeks=3)
ATTENDED = ["attended", "late"]
OPEN_STATUSES = [Status.NEW, Status.CONTACTING, Status.ASSESSMENT, Status.ACTIVE]
WAITING_STATUSES = [Status.NEW, Status.CONTACTING, Status.ASSESSMENT]
TREND_WEEKS = 12
CASEWORK_ROLES = [Role.KEYWORKER.group_name, Role.TEAM_LEAD.group_name]


def week_label(monday) -> str:
    return _("w/c %(date)s") % {"date": date_format(monday, "j M Y")}


def referrals_per_week(scope: Scope) -> Table:
    rows = (
        scope.referrals()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            total=Count("pk"),
            self_referred=Count("pk", filter=Q(source=Source.SELF)),
        )
    )
    by_week = {row["week"].date(): row for row in rows}
    table = Table(
        slug="referrals-per-week",
        title=_("Referrals per week"),
        row_heading=_("Week"),
        columns=[_("Self-referrals"), _("Professional referrals"), _("All referrals"),
                 _("Share self-referred")],
        chart={"kind": "stacked", "columns": [0, 1]},
    )  # fmt: skip
    for monday in scope.weeks():
        row = by_week.get(monday, {"total": 0, "self_referred": 0})
        total, own = row["total"], row["self_referred"]
        table.add(
            week_label(monday),
            [
                count(own, suppress=scope.suppress),
                count(total - own, suppress=scope.suppress),
                count(total, suppress=scope.suppress),
                share(own, total, suppress=scope.suppress),
            ],
        )
    return table


def referrals_by_team(scope: Scope) -> Table:
    """Service-wide only: each team's referrals in the range."""
    teams = Team.objects.order_by("name")
    if scope.team:
        teams = teams.filter(pk=scope.team.pk)
    in_range = Q(
        referrals__created_at__gte=scope.starts_at, referrals__created_at__lt=scope.ends_at
    )
    rows = teams.annotate(
        total=Count("referrals", filter=in_range),
        self_referred=Count("referrals", filter=in_range & Q(referrals__source=Source.SELF)),
    )
    table = Table(
        slug="referrals-by-team",
        title=_("Referrals by team"),
        row_heading=_("Team"),
        columns=[_("Self-referrals"), _("Professional referrals"), _("All referrals"),
                 _("Share self-referred")],
        chart={"kind": "stacked", "columns": [0, 1]},
    )  # fmt: skip
    for team in rows:
        table.add(
            team.name,
            [
                count(team.self_referred, suppress=scope.suppress),
                count(team.total - team.self_referred, suppress=scope.suppress),
                count(team.total, suppress=scope.suppress),
                share(team.self_referred, team.total, suppress=scope.suppress),
            ],
        )
    return table


def _waits(scope: Scope):
    """Each referral in range with the moments that matter: first attempt to contact her,
    first time staff spoke to her, first group session she attended, and the end of the
    second working day after she referred."""
    return scope.referrals().annotate(
        first_attempt=Min("contact_attempts__made_at"),
        first_contact=Min(
            "contact_attempts__made_at",
            filter=Q(contact_attempts__outcome=ContactOutcome.SPOKE),
        ),
        first_session=Min(
            "bookings__session__starts_at",
            filter=Q(
                bookings__status__in=ATTENDED,
                bookings__session__starts_at__gte=F("created_at"),
            ),
        ),
        deadline=EndOfSecondWorkingDay("created_at"),
    )


# Per moment (first contact, first session): median and 90th percentile days (percentiles
# skip women not reached yet), how many reached it, how many within 3 weeks, and how many
# have a known outcome (reached, or referred 3 weeks ago or more). Parameters: 3 weeks,
# and 3 weeks before now.
WAIT_FIGURES = """
    percentile_cont(0.5) WITHIN GROUP (ORDER BY {days}) AS {moment}_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY {days}) AS {moment}_p90,
    count({moment}) AS {moment}_reached,
    count(*) FILTER (WHERE {moment} <= created_at + %s) AS {moment}_within,
    count(*) FILTER (WHERE {moment} IS NOT NULL OR created_at <= %s) AS {moment}_known
"""


def _wait_figures(scope: Scope, now) -> tuple[dict, dict]:
    """Waiting-time figures for the whole range (key ``None``) and for each week (keyed by
    its Monday), plus those of a week with no referrals. One statement: the ORM builds the
    per-woman rows (``_waits``), and PostgreSQL aggregates them with GROUPING SETS. (Django
    can aggregate over those rows but not group them by week: asked for 12 weeks of figures
    as filtered aggregates, it spent longer compiling the SQL than PostgreSQL running it.)"""
    inner = _waits(scope).values(
        "created_at", "first_attempt", "first_contact", "first_session", "deadline"
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    known_after = now - SEEN_WITHIN
    per_moment = [
        WAIT_FIGURES.format(
            moment=moment, days=f"(EXTRACT(EPOCH FROM ({moment} - created_at)) / 86400.0)"
        )
        for moment in ("first_contact", "first_session")
    ]
    # Only fixed fragments are joined into the SQL; every value is a bound parameter.
    sql = f"""
        SELECT (date_trunc('week', created_at AT TIME ZONE %s))::date AS week,
            count(*) AS referred,
            {", ".join(per_moment)},
            count(*) FILTER (WHERE first_attempt <= deadline) AS attempted_in_time,
            count(*) FILTER (WHERE first_attempt IS NOT NULL OR deadline <= %s)
                AS attempt_known
        FROM ({inner_sql}) AS waits
        GROUP BY GROUPING SETS ((1), ())
    """  # noqa: S608  # nosec B608
    per_moment_params = [SEEN_WITHIN, known_after]
    params = [settings.TIME_ZONE, *per_moment_params, *per_moment_params, now, *inner_params]
    with connections[inner.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    none = dict.fromkeys(names, 0) | {"first_contact_median": None, "first_session_median": None}
    figures = {row["week"]: row for row in rows}
    return figures, none


def waiting_times(scope: Scope) -> tuple[Table, Table, Table]:
    """The summary (whole range), contact within 2 working days, and the weekly trend
    (the last 12 weeks of the range), all from one query."""
    now = timezone.now()
    weeks = scope.weeks()[-TREND_WEEKS:]
    figures, none = _wait_figures(scope, now)
    result = figures.get(None, none)
    s = scope.suppress

    summary = Table(
        slug="waiting-times",
        title=_("Time to first contact and first group session"),
        row_heading=_("From referral to"),
        columns=[_("Women reached"), _("Median days"), _("90th percentile days"),
                 _("Seen within 3 weeks")],
        note=_(
            "First contact is the first time staff spoke to her. “Seen within 3 weeks” "
            "counts women referred at least 3 weeks ago or already seen."
        ),
    )  # fmt: skip
    for prefix, label in (
        ("first_contact", _("first contact")),
        ("first_session", _("first group session")),
    ):
        reached = result[f"{prefix}_reached"]
        summary.add(
            label,
            [
                count(reached, suppress=s),
                days(result[f"{prefix}_median"], reached, suppress=s),
                days(result[f"{prefix}_p90"], reached, suppress=s),
                share(result[f"{prefix}_within"], result[f"{prefix}_known"], suppress=s),
            ],
        )
    contacted = Table(
        slug="contacted-within-two-working-days",
        title=_("Contacted within 2 working days"),
        row_heading=_("New referrals"),
        columns=[_("Referrals"), _("Contact attempted in time"), _("Share")],
        note=_(
            "An attempt by the end of the second working day after she referred "
            "(Monday to Friday; bank holidays are counted as working days)."
        ),
    )
    contacted.add(
        _("All in range"),
        [
            count(result["attempt_known"], suppress=s),
            count(result["attempted_in_time"], suppress=s),
            share(result["attempted_in_time"], result["attempt_known"], suppress=s),
        ],
    )

    trend = Table(
        slug="waiting-times-trend",
        title=_("Waiting times, week by week"),
        row_heading=_("Referred in week"),
        columns=[_("Referrals"), _("Median days to first contact"),
                 _("Seen within 3 weeks"), _("Median days to first session"),
                 _("First session within 3 weeks"), _("Contacted within 2 working days")],
        chart={"kind": "percent", "columns": [2]},
    )  # fmt: skip
    for monday in weeks:
        week = figures.get(monday, none)
        trend.add(
            week_label(monday),
            [
                count(week["referred"], suppress=s),
                days(week["first_contact_median"], week["first_contact_reached"], suppress=s),
                share(week["first_contact_within"], week["first_contact_known"], suppress=s),
                days(week["first_session_median"], week["first_session_reached"], suppress=s),
                share(week["first_session_within"], week["first_session_known"], suppress=s),
                share(week["attempted_in_time"], week["attempt_known"], suppress=s),
            ],
        )
    return summary, contacted, trend


def unmet_needs(scope: Scope) -> Table:
    """Women waiting now (open, not yet active) and what they need."""
    waiting = Q(status__in=WAITING_STATUSES)
    interpreter = Q(needs_interpreter=True)
    aggregates = {
        "waiting": Count("pk", filter=waiting),
        "childcare": Count("pk", filter=waiting & Q(needs_childcare=True)),
        "interpreter": Count("pk", filter=waiting & interpreter),
        "safe_housing": Count(
            "pk", filter=waiting & Q(housing__in=[Housing.UNSAFE, Housing.NO_HOME])
        ),
        "housing_at_risk": Count("pk", filter=waiting & Q(housing=Housing.AT_RISK)),
        "mental_health": Count("pk", filter=waiting & Q(wants_mental_health_support=True)),
    }
    for code, _label in Language.choices:
        aggregates[f"lang_{code}"] = Count(
            "pk", filter=waiting & interpreter & Q(preferred_language=code)
        )
    result = scope.open_cases().aggregate(**aggregates)
    s = scope.suppress
    table = Table(
        slug="unmet-needs",
        title=_("Women waiting, and what they need"),
        row_heading=_("Need"),
        columns=[_("Women waiting"), _("Share of women waiting")],
        note=_("Women with an open case not yet active (new, contacting or assessment)."),
        chart={"kind": "bars", "columns": [0]},
    )
    rows = [
        (_("Childcare to attend"), "childcare"),
        (_("An interpreter"), "interpreter"),
        *(
            ((_("Interpreter: %(language)s") % {"language": label}), f"lang_{code}")
            for code, label in Language.choices
            if code != Language.ENGLISH
        ),
        (_("Safe housing (unsafe or nowhere to stay)"), "safe_housing"),
        (_("Housing at risk"), "housing_at_risk"),
        (_("Mental-health support"), "mental_health"),
    ]
    for label, key in rows:
        table.add(
            label,
            [count(result[key], suppress=s), share(result[key], result["waiting"], suppress=s)],
        )
    table.add(
        _("All women waiting"), [count(result["waiting"], suppress=s), share(1, 1, suppress=False)]
    )
    return table


def _caseload_columns():
    statuses = [(status, label) for status, label in Status.choices if status in OPEN_STATUSES]
    return statuses, list(Priority.choices)


def caseloads(scope: Scope) -> Table:
    """Open cases per keyworker (a team) or per team (the service), by status and priority,
    so a team lead sees who is overloaded."""
    statuses, priorities = _caseload_columns()
    if scope.team:
        prefix, people = "caseload__", User.objects.filter(team=scope.team, is_active=True)
        open_q = Q(caseload__status__in=OPEN_STATUSES, caseload__anonymised_at__isnull=True)
        # A subquery, not a join: a join on groups would count a keyworker who is also a
        # team lead twice.
        case_workers = User.objects.filter(groups__name__in=CASEWORK_ROLES).values("pk")
        people = people.filter(pk__in=case_workers).order_by("full_name", "pk")
        heading = _("Keyworker")
    else:
        prefix, people = "referrals__", Team.objects.order_by("name")
        open_q = Q(referrals__status__in=OPEN_STATUSES, referrals__anonymised_at__isnull=True)
        heading = _("Team")
    aggregates = {"total": Count("pk", filter=open_q)}
    for status, _label in statuses:
        aggregates[f"s_{status}"] = Count("pk", filter=open_q & Q(**{f"{prefix}status": status}))
    for priority, _label in priorities:
        aggregates[f"p_{priority}"] = Count(
            "pk", filter=open_q & Q(**{f"{prefix}priority": priority})
        )
    table = Table(
        slug="caseloads",
        title=_("Open cases per keyworker") if scope.team else _("Open cases per team"),
        row_heading=heading,
        columns=[*(label for _s, label in statuses), *(label for _p, label in priorities),
                 _("All open cases")],
        chart={"kind": "bars", "columns": [len(statuses) + len(priorities)]},
    )  # fmt: skip
    if scope.team:
        table.note = _("Unassigned cases are in the team queue and not counted here.")
    s = scope.suppress
    for row in people.annotate(**aggregates):
        table.add(
            row.full_name if scope.team else row.name,
            [
                *(count(getattr(row, f"s_{status}"), suppress=s) for status, _l in statuses),
                *(count(getattr(row, f"p_{priority}"), suppress=s) for priority, _l in priorities),
                count(row.total, suppress=s),
            ],
        )
    return table
