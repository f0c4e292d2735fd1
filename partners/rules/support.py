"""Rules for her support plan and onward referrals: they decide, never write."""

from datetime import date

from django.utils.translation import gettext as _

from partners.choices import ENDED, OnwardStatus, RiskLevel, SupportKind
from referrals.choices import AbuseExperience, Housing

# Where an onward referral may go next. Any waiting referral may end (she declines, the
# partner does not accept, or it is withdrawn).
NEXT_STEPS = {
    OnwardStatus.SENT: [
        OnwardStatus.ACKNOWLEDGED, OnwardStatus.APPOINTMENT_OFFERED,
        OnwardStatus.SUPPORT_STARTED, *ENDED,
    ],
    OnwardStatus.ACKNOWLEDGED: [
        OnwardStatus.APPOINTMENT_OFFERED, OnwardStatus.SUPPORT_STARTED, *ENDED,
    ],
    OnwardStatus.APPOINTMENT_OFFERED: [OnwardStatus.SUPPORT_STARTED, *ENDED],
}  # fmt: skip
# The date field each status records.
STATUS_DATE_FIELD = {
    OnwardStatus.SENT: "sent_on",
    OnwardStatus.ACKNOWLEDGED: "acknowledged_on",
    OnwardStatus.APPOINTMENT_OFFERED: "appointment_offered_on",
    OnwardStatus.SUPPORT_STARTED: "support_started_on",
    OnwardStatus.DECLINED_BY_HER: "ended_on",
    OnwardStatus.NOT_ACCEPTED: "ended_on",
    OnwardStatus.WITHDRAWN: "ended_on",
}


def next_steps(status: str) -> list[str]:
    return list(NEXT_STEPS.get(status, []))


def needs_from_referral(referral) -> list[str]:
    """The kinds of support her own answers on the referral form ask for."""
    kinds = []
    if referral.wants_mental_health_support:
        kinds.append(SupportKind.MENTAL_HEALTH)
    if referral.abuse_experience in (AbuseExperience.CURRENT, AbuseExperience.PAST):
        kinds.append(SupportKind.DOMESTIC_ABUSE)
    if referral.housing in (Housing.AT_RISK, Housing.UNSAFE, Housing.NO_HOME):
        kinds.append(SupportKind.HOUSING)
    if referral.children_at_risk:
        kinds.append(SupportKind.FAMILY)
    return kinds


def covers_area(service, referral, *, team_ids) -> bool:
    """Does the service cover her area: her team's area, or her local authority?
    ``team_ids`` are the teams the service covers (prefetched by the caller)."""
    if referral.team_id in team_ids:
        return True
    area = (referral.area_local_authority or "").strip().casefold()
    return bool(area) and area in {name.strip().casefold() for name in service.local_authorities}


def step_date_problem(*, onward, target: str, on: date, today: date) -> str:
    """Why ``on`` cannot be the date of this step ("" when it can)."""
    if on > today:
        return _("The date cannot be in the future.")
    earlier = [
        value
        for value in (
            onward.sent_on, onward.acknowledged_on, onward.appointment_offered_on,
            onward.support_started_on,
        )
        if value is not None
    ]  # fmt: skip
    latest = max(earlier)
    if on < latest:
        label = OnwardStatus(target).label.lower()
        return _("%(step)s cannot be before %(date)s, the referral's last step.") % {
            "step": label[:1].upper() + label[1:],
            "date": latest.strftime("%d/%m/%Y"),
        }
    return ""


def needs_marac_referral(*, latest_level: str | None, has_marac_referral: bool) -> bool:
    """A high-risk assessment calls for a MARAC referral, until one is made."""
    return latest_level == RiskLevel.HIGH and not has_marac_referral
