"""How urgent a new referral is, with the reasons written into the record."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from referrals.choices import AbuseExperience, Priority, SafeNow, YesNoPreferNot


@dataclass(frozen=True)
class PriorityAssessment:
    priority: Priority
    reasons: list[str]


def assess_priority(
    *,
    safe_now: str,
    children_at_risk: bool,
    pregnant: str,
    abuse_experience: str,
) -> PriorityAssessment:
    """Safeguarding if she is not safe now or her children are at risk; urgent if she is
    pregnant or abuse is happening now; routine otherwise. Every reason that applies is kept."""
    safeguarding, urgent = [], []
    if safe_now == SafeNow.NO:
        safeguarding.append(_("She said she is not safe right now."))
    if children_at_risk:
        safeguarding.append(_("She is worried about her children's safety."))
    if pregnant == YesNoPreferNot.YES:
        urgent.append(_("She is pregnant."))
    if abuse_experience == AbuseExperience.CURRENT:
        urgent.append(_("Domestic abuse or sexual violence is happening now."))
    if safe_now == SafeNow.NOT_SURE:
        urgent.append(_("She is not sure she is safe right now."))
    if safeguarding:
        return PriorityAssessment(Priority.SAFEGUARDING, safeguarding + urgent)
    if urgent:
        return PriorityAssessment(Priority.URGENT, urgent)
    return PriorityAssessment(Priority.ROUTINE, [_("No urgent needs were given.")])
