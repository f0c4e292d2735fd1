"""Who may see and change her support plan: her keyworker and her team's leads only (the
same people who may read restricted notes). Anyone else gets 404."""

from django.http import Http404

from referrals.rules import access as case_access


def get_support_case(user, pk: int, *, for_update: bool = False):
    referral = case_access.get_visible_case(user, pk, for_update=for_update)
    if not case_access.can_read_restricted_notes(user, referral):
        raise Http404("No such case")
    return referral


def can_change_support(user, referral) -> bool:
    return case_access.can_work_on(user, referral)
