"""Read-only queries about referrals."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from referrals.choices import PRIORITY_RANK, Status
from referrals.models import Referral

PRIORITY_ORDER = Case(
    *[When(priority=priority, then=Value(rank)) for priority, rank in PRIORITY_RANK.items()],
    output_field=IntegerField(),
)


def team_queue(*, team) -> QuerySet[Referral]:
    """New, unassigned referrals for a team: most urgent first, then oldest first."""
    if team is None:
        return Referral.objects.none()
    return (
        Referral.objects.filter(team=team, status=Status.NEW, assigned_to__isnull=True)
        .annotate(priority_rank=PRIORITY_ORDER)
        .order_by("priority_rank", "created_at")
        .only("id", "reference", "preferred_name", "priority", "created_at", "source", "team_id")
    )
