"""Who may see and do what with which case (docs/design.md, roles). Every case view and
action goes through these functions; a case outside them is a 404, never a 403, so its
existence is not revealed."""

from django.db.models import Q, QuerySet
from django.http import Http404

from core.permissions import MANAGE_TEAM_CASES, PICK_UP_REFERRAL, WORK_OWN_CASES
from referrals.choices import Status
from referrals.models import Referral


def is_team_lead_for(user, referral) -> bool:
    return (
        user.has_perm(MANAGE_TEAM_CASES)
        and user.team_id is not None
        and (referral.team_id == user.team_id)
    )


def visible_cases(user) -> QuerySet[Referral]:
    """Cases the user may open: a team lead, every case of her team; a keyworker, her own
    cases and her team's unassigned new referrals; anyone else, none."""
    if not user.is_authenticated or user.team_id is None:
        return Referral.objects.none()
    if user.has_perm(MANAGE_TEAM_CASES):
        return Referral.objects.filter(team_id=user.team_id)
    if user.has_perm(WORK_OWN_CASES):
        team_queue = Q(team_id=user.team_id, status=Status.NEW, assigned_to__isnull=True)
        return Referral.objects.filter(Q(assigned_to=user) | team_queue)
    return Referral.objects.none()


def get_visible_case(user, pk: int, *, for_update: bool = False) -> Referral:
    """The case, if this user may open it; otherwise 404. ``for_update`` locks the row
    (inside a transaction) so two people changing one case are serialised."""
    cases = visible_cases(user).select_related("team", "assigned_to")
    if for_update:
        cases = cases.select_for_update(of=("self",))
    referral = cases.filter(pk=pk).first()
    if referral is None:
        raise Http404("No such case")
    return referral


def can_work_on(user, referral) -> bool:
    """Record contacts and notes, change status and next contact: her own keyworker, or a
    team lead of the case's team. Nobody, once her personal data is removed."""
    if referral.anonymised_at is not None:
        return False
    if is_team_lead_for(user, referral):
        return True
    return user.has_perm(WORK_OWN_CASES) and referral.assigned_to_id == user.pk


def can_pick_up(user, referral) -> bool:
    return (
        user.has_perm(PICK_UP_REFERRAL)
        and referral.team_id == user.team_id
        and referral.status == Status.NEW
        and referral.assigned_to_id is None
    )


def can_read_restricted_notes(user, referral) -> bool:
    return referral.assigned_to_id == user.pk or is_team_lead_for(user, referral)
