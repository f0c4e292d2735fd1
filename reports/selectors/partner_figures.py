"""Waits for partner support: for each kind of support and each partner service, women
waiting now and for how long, and the time from her need being recorded to support
starting (median, 90th percentile, share within the partner's stated wait), with a weekly
trend and, for a team, the women waiting longest for mental-health support. One aggregate
query per table; days are whole local days."""

from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import WAITING, SupportKind
from partners.models import OnwardReferral
from referrals.choices import Status
from reports.selectors.referral_figures import TREND_WEEKS, week_label
from reports.selectors.scope import Scope
from reports.selectors.sql import DaysFromLocalDate, Percentile
from reports.tables import SMALL_NUMBER, Figure, Table, count, days, share

LONGEST_ROWS = 10


def _onward(scope: Scope):
    """Her partner referrals in this scope's team (or the whole service), with the days
    she has waited so far (from her need being recorded) and the days it took support to
    start."""
    rows = OnwardReferral.objects.all()
    if scope.team:
        rows = rows.filter(referral__team=scope.team)
    today = timezone.localdate()
    return rows.annotate(
        waited_so_far=DaysFromLocalDate(F("need__recorded_at"), Value(today)),
        days_to_start=DaysFromLocalDate(F("need__recorded_at"), F("support_started_on")),
    )


WAITING_NOW = Q(status__in=WAITING) & ~Q(referral__status=Status.CLOSED)


def _started(scope: Scope) -> Q:
    return Q(support_started_on__gte=scope.start, support_started_on__lte=scope.end)


def _aggregates(scope: Scope) -> dict:
    started = _started(scope)
    only_waiting = Case(When(WAITING_NOW, then=F("waited_so_far")), output_field=IntegerField())
    only_started = Case(When(started, then=F("days_to_start")), output_field=IntegerField())
    return {
        "waiting_women": Count("referral", filter=WAITING_NOW, distinct=True),
        "waiting_referrals": Count("pk", filter=WAITING_NOW),
        "waiting_median": Percentile(only_waiting, 0.5),
        "longest": Max(only_waiting),
        "started": Count("pk", filter=started),
        "started_median": Percentile(only_started, 0.5),
        "started_p90": Percentile(only_started, 0.9),
        "within": Sum(
            Case(
                When(started & Q(days_to_start__lte=F("service__usual_wait_days")), then=1),
                default=0,
                output_field=IntegerField(),
            )
        ),
    }


# A kind of support nobody has been referred for yet: the row _aggregates would give.
NO_REFERRALS = {
    "waiting_women": 0, "waiting_referrals": 0, "waiting_median": None, "longest": None,
    "started": 0, "started_median": None, "started_p90": None, "within": 0,
}  # fmt: skip

COLUMNS = [
    _("Women waiting now"),
    _("Median days waiting so far"),
    _("Longest wait so far (days)"),
    _("Support started in range"),
    _("Median days from need to support"),
    _("90th percentile days"),
    _("Started within the partner's stated wait"),
]


def _figures(row: dict, *, suppress: bool) -> list[Figure]:
    waiting, started = row["waiting_referrals"], row["started"]
    return [
        count(row["waiting_women"], suppress=suppress),
        days(row["waiting_median"], waiting, suppress=suppress),
        days(row["longest"], waiting, suppress=suppress),
        count(started, suppress=suppress),
        days(row["started_median"], started, suppress=suppress),
        days(row["started_p90"], started, suppress=suppress),
        share(row["within"], started, suppress=suppress),
    ]


NOTE = _(
    "Days count from the day her need was recorded on her support plan. “Waiting now” "
    "counts partner referrals sent and not yet started (sent, acknowledged or appointment "
    "offered) on open cases."
)


def waits_by_kind(scope: Scope) -> Table:
    rows = {
        row["service__kind"]: row
        for row in _onward(scope).values("service__kind").annotate(**_aggregates(scope))
    }
    table = Table(
        slug="partner-waits-by-kind",
        title=_("Waits for partner support, by kind of support"),
        row_heading=_("Kind of support"),
        columns=COLUMNS,
        note=NOTE,
        chart={"kind": "bars", "columns": [0]},
    )
    for kind, label in SupportKind.choices:
        if kind in rows or kind == SupportKind.MENTAL_HEALTH:
            table.add(label, _figures(rows.get(kind, NO_REFERRALS), suppress=scope.suppress))
    return table


def waits_by_partner(scope: Scope) -> Table:
    rows = (
        _onward(scope)
        .values(
            "service", "service__name", "service__organisation__name", "service__usual_wait_days"
        )
        .annotate(**_aggregates(scope))
        .order_by("service__organisation__name", "service__name")
    )
    table = Table(
        slug="partner-waits-by-partner",
        title=_("Waits for partner support, by partner service"),
        row_heading=_("Partner service"),
        columns=[_("Stated wait (days)"), *COLUMNS],
        note=NOTE,
        chart={"kind": "bars", "columns": [1]},
    )
    for row in rows:
        stated = row["service__usual_wait_days"]
        table.add(
            f"{row['service__organisation__name']}: {row['service__name']}",
            [Figure(stated, str(stated)), *_figures(row, suppress=scope.suppress)],
        )
    return table


def waits_trend(scope: Scope) -> Table:
    weeks = scope.weeks()[-TREND_WEEKS:]
    started = Q(support_started_on__gte=weeks[0], support_started_on__lte=scope.end)
    per_week = {
        row["week"]: row
        for row in _onward(scope)
        .filter(started)
        .annotate(week=TruncWeek("support_started_on"))
        .values("week")
        .annotate(
            started=Count("pk"),
            median=Percentile(F("days_to_start"), 0.5),
            within=Count("pk", filter=Q(days_to_start__lte=F("service__usual_wait_days"))),
        )
    }
    table = Table(
        slug="partner-waits-trend",
        title=_("Partner support started, week by week"),
        row_heading=_("Support started in week"),
        columns=[_("Support started"), _("Median days from need to support"),
                 _("Started within the partner's stated wait")],
        chart={"kind": "percent", "columns": [2]},
    )  # fmt: skip
    s = scope.suppress
    for monday in weeks:
        week = per_week.get(monday, {"started": 0, "median": None, "within": 0})
        table.add(
            week_label(monday),
            [
                count(week["started"], suppress=s),
                days(week["median"], week["started"], suppress=s),
                share(week["within"], week["started"], suppress=s),
            ],
        )
    return table


def longest_mental_health_waits(scope: Scope) -> Table:
    """The women waiting longest for mental-health support. A team's own view names her
    case's reference; a view that leaves the team shows only the waits, and nothing when
    fewer than 5 women are waiting."""
    waiting = (
        _onward(scope)
        .filter(WAITING_NOW, service__kind=SupportKind.MENTAL_HEALTH)
        .select_related("service__organisation", "referral")
        .only(
            "pk", "referral__reference", "service__name", "service__organisation__name",
            "service__usual_wait_days",
        )
        .order_by("-waited_so_far", "pk")
    )  # fmt: skip
    table = Table(
        slug="longest-mental-health-waits",
        title=_("Longest waits for mental-health support now"),
        row_heading=_("Her case") if not scope.suppress else _("Place"),
        columns=[_("Partner service"), _("Days waiting so far"), _("Stated wait (days)")],
        note=_("Women are counted once per partner referral."),
    )
    rows = list(waiting[: max(LONGEST_ROWS, SMALL_NUMBER)])
    if scope.suppress and len(rows) < SMALL_NUMBER:
        table.note = _("Fewer than 5 women are waiting: not shown outside the team.")
        return table
    for place, onward in enumerate(rows[:LONGEST_ROWS], start=1):
        label = onward.referral.display_reference if not scope.suppress else str(place)
        stated = onward.service.usual_wait_days
        table.add(
            label,
            [
                Figure(None, str(onward.service)),
                Figure(onward.waited_so_far, str(onward.waited_so_far)),
                Figure(stated, str(stated)),
            ],
        )
    return table


def partner_tables(scope: Scope) -> list[Table]:
    return [
        waits_by_kind(scope),
        waits_by_partner(scope),
        waits_trend(scope),
        longest_mental_health_waits(scope),
    ]
