"""Who sees which figures (docs/design.md, roles: team leads their team, service admins the
whole service, aggregate only) and over which dates."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.http import Http404
from django.utils import timezone

from accounts.models import Team
from core.permissions import VIEW_SERVICE_REPORTS, VIEW_TEAM_REPORTS
from referrals.models import Referral

DEFAULT_WEEKS = 12


def may_see_reports(user) -> bool:
    return user.has_perm(VIEW_SERVICE_REPORTS) or (
        user.has_perm(VIEW_TEAM_REPORTS) and user.team_id is not None
    )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last 12 weeks, Monday to today."""
    today = today or timezone.localdate()
    return monday_of(today) - timedelta(weeks=DEFAULT_WEEKS - 1), today


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Scope:
    """The figures one person asked for: a date range (inclusive, local dates), one team
    or the whole service, optionally one programme, and whether small numbers are hidden."""

    start: date
    end: date
    team: Team | None
    programme_id: int | None
    suppress: bool

    @property
    def starts_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def ends_at(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return local_midnight(self.end + timedelta(days=1))

    @property
    def is_team_view(self) -> bool:
        """A team lead looking at her own team: the one view where small numbers show."""
        return not self.suppress

    def weeks(self) -> list[date]:
        """Mondays of the weeks the range touches, oldest first."""
        first, last = monday_of(self.start), monday_of(self.end)
        return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]

    def referrals(self):
        """Referrals received in the range, for this scope's team."""
        cases = Referral.objects.filter(created_at__gte=self.starts_at, created_at__lt=self.ends_at)
        return cases.filter(team=self.team) if self.team else cases

    def open_cases(self):
        """Open cases now, whenever received (unmet needs and caseloads are about today)."""
        cases = Referral.objects.exclude(status="closed").filter(anonymised_at__isnull=True)
        return cases.filter(team=self.team) if self.team else cases

    def with_suppression(self) -> "Scope":
        """The same figures as they may leave the team: small numbers hidden."""
        return Scope(self.start, self.end, self.team, self.programme_id, suppress=True)


def scope_for(user, *, start, end, team=None, programme_id=None) -> Scope:
    """Team leads always see their own team, exactly; service admins see the service or
    one team, with small numbers hidden. Anyone else: 404."""
    if user.has_perm(VIEW_SERVICE_REPORTS):
        return Scope(start, end, team, programme_id, suppress=True)
    if user.has_perm(VIEW_TEAM_REPORTS) and user.team_id is not None:
        return Scope(start, end, user.team, programme_id, suppress=False)
    raise Http404
