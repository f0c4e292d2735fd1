"""Reads for her support plan, the partner directory, the chase list and her case's flags."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.case_flags import CaseFlag
from core.case_timeline import TimelineEntry
from partners.choices import ENDED, WAITING, RiskLevel, SupportKind
from partners.models import (
    OnwardReferral,
    OnwardReferralStep,
    PartnerOrganisation,
    PartnerService,
    RiskAssessment,
    SupportNeed,
)
from partners.rules.support import covers_area, needs_from_referral, needs_marac_referral
from referrals.choices import Status
from referrals.models import Referral
from referrals.rules import access as case_access


def partner_services() -> QuerySet[PartnerService]:
    """The directory: every service with its organisation, the teams it covers and how many
    women are waiting for it now. Three queries, however many services."""
    return (
        PartnerService.objects.select_related("organisation")
        .prefetch_related("teams")
        .annotate(waiting=Count("onward_referrals", filter=Q(onward_referrals__status__in=WAITING)))
        .order_by("organisation__name", "name", "pk")
    )


def organisations() -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.order_by("name")


@dataclass
class NeedRow:
    need: SupportNeed
    onward: list = field(default_factory=list)


@dataclass
class SupportPlan:
    needs: list[NeedRow]
    closed_needs: list[SupportNeed]
    from_referral_not_recorded: list[str]
    risk_assessments: list[RiskAssessment]
    services: list[PartnerService]  # active services, covering her area first
    covering: set[int]
    marac_prompt: bool


def support_plan(*, referral: Referral) -> SupportPlan:
    """Everything on her support plan, in a fixed number of queries."""
    onward = OnwardReferral.objects.select_related("service__organisation").prefetch_related(
        Prefetch("steps", queryset=OnwardReferralStep.objects.select_related("recorded_by"))
    )
    needs = list(
        referral.support_needs.select_related("recorded_by").prefetch_related(
            Prefetch("onward_referrals", queryset=onward)
        )
    )
    open_needs = [need for need in needs if need.closed_at is None]
    recorded = {need.kind for need in open_needs}
    assessments = list(referral.risk_assessments.select_related("recorded_by"))
    services = list(
        PartnerService.objects.filter(is_active=True)
        .select_related("organisation")
        .prefetch_related("teams")
        .order_by("kind", "organisation__name", "name")
    )
    covering = {
        s.pk
        for s in services
        if covers_area(s, referral, team_ids={team.pk for team in s.teams.all()})
    }
    services.sort(key=lambda s: (s.pk not in covering, s.kind, s.organisation.name, s.name))
    latest = assessments[-1].level if assessments else None
    has_marac = any(
        o.service.kind == SupportKind.MARAC and o.status not in ENDED
        for need in needs
        for o in need.onward_referrals.all()
    )
    return SupportPlan(
        needs=[NeedRow(need, list(need.onward_referrals.all())) for need in open_needs],
        closed_needs=[need for need in needs if need.closed_at is not None],
        from_referral_not_recorded=[
            kind for kind in needs_from_referral(referral) if kind not in recorded
        ],
        risk_assessments=assessments,
        services=services,
        covering=covering,
        marac_prompt=needs_marac_referral(latest_level=latest, has_marac_referral=has_marac),
    )


def chases_due(*, user) -> QuerySet[OnwardReferral]:
    """Partner referrals on her open cases with no answer, due a chase today or overdue."""
    today = timezone.localdate()
    return (
        OnwardReferral.objects.filter(
            referral__assigned_to=user, chase_on__lte=today, status__in=WAITING
        )
        .exclude(referral__status=Status.CLOSED)
        .select_related("service__organisation", "referral")
        .only(
            "pk", "chase_on", "sent_on", "last_chased_on", "status", "referral_id",
            "service__name", "service__organisation__name", "referral__preferred_name",
            "referral__reference",
        )
        .order_by("chase_on", "pk")
    )  # fmt: skip


def case_flags(referral, *, user) -> list[CaseFlag]:
    """Her case page's flags from the support plan, in one query: a high domestic-abuse
    risk while her case is open (with a prompt to refer to MARAC until one is made), and
    how many partner referrals she is waiting on."""
    if referral.status == Status.CLOSED or referral.anonymised_at is not None:
        return []
    latest = RiskAssessment.objects.filter(referral=OuterRef("pk")).order_by(
        "-assessed_on", "-recorded_at", "-pk"
    )
    marac = OnwardReferral.objects.filter(
        referral=OuterRef("pk"), service__kind=SupportKind.MARAC
    ).exclude(status__in=ENDED)
    row = (
        Referral.objects.filter(pk=referral.pk)
        .annotate(
            risk_level=Subquery(latest.values("level")[:1]),
            risk_on=Subquery(latest.values("assessed_on")[:1]),
            has_marac=Exists(marac),
            waiting=Subquery(
                OnwardReferral.objects.filter(referral=OuterRef("pk"), status__in=WAITING)
                .values("referral")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .values("risk_level", "risk_on", "has_marac", "waiting")
        .first()
    )
    if row is None:
        return []
    may_see_plan = case_access.can_read_restricted_notes(user, referral)
    plan_url = reverse("partners:support_plan", args=[referral.pk]) if may_see_plan else ""
    flags = []
    if row["risk_level"] == RiskLevel.HIGH:
        flags.append(
            CaseFlag(
                _("Safeguarding: high risk of domestic abuse (assessed %(day)s).")
                % {"day": row["risk_on"].strftime("%d/%m/%Y")},
                level="danger",
            )
        )
        if needs_marac_referral(
            latest_level=row["risk_level"], has_marac_referral=row["has_marac"]
        ):
            flags.append(
                CaseFlag(
                    _("High risk: refer her to MARAC."),
                    level="warning",
                    url=plan_url,
                    link_text=_("Open her support plan"),
                )
            )
    if row["waiting"]:
        flags.append(
            CaseFlag(
                _("Waiting for partner support: %(n)s referral(s).") % {"n": row["waiting"]},
                url=plan_url,
                link_text=_("Support plan"),
            )
        )
    return flags


def support_record(*, referral) -> dict:
    """Her support plan for her subject access copy: needs, partner referrals (with what
    she agreed to share, the summary sent and every step) and risk assessments. Four
    queries."""
    onward = referral.onward_referrals.select_related("service__organisation").prefetch_related(
        Prefetch("steps", queryset=OnwardReferralStep.objects.select_related("recorded_by"))
    )
    return {
        "support_needs": [
            {
                "kind": need.get_kind_display(),
                "detail": need.detail or "",
                "source": need.get_source_display(),
                "recorded_at": need.recorded_at,
                "recorded_by": need.recorded_by.full_name,
                "closed_at": need.closed_at,
            }
            for need in referral.support_needs.select_related("recorded_by")
        ],
        "partner_referrals": [
            {
                "service": str(o.service),
                "status": o.get_status_display(),
                "shared": o.shared_labels,
                "consent_given_on": o.consent_given_on,
                "consent_version": o.consent_version,
                "summary": o.summary or "",
                "sent_on": o.sent_on,
                "acknowledged_on": o.acknowledged_on,
                "appointment_on": o.appointment_on,
                "support_started_on": o.support_started_on,
                "ended_on": o.ended_on,
                "steps": [
                    {
                        "on": step.on,
                        "step": _("Chased") if step.chased else step.get_status_display(),
                        "by": step.recorded_by.full_name,
                    }
                    for step in o.steps.all()
                ],
            }
            for o in onward
        ],
        "risk_assessments": [
            {
                "tool": a.get_tool_display(),
                "assessed_on": a.assessed_on,
                "score": a.score,
                "level": a.get_level_display(),
            }
            for a in referral.risk_assessments.all()
        ],
    }


def partner_steps(referral) -> list[TimelineEntry]:
    """Her partner referrals' steps for her case's timeline (core.case_timeline): one query."""
    steps = (
        OnwardReferralStep.objects.filter(onward_referral__referral_id=referral.pk)
        .select_related("onward_referral__service__organisation", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    chased = _("chased")
    return [
        TimelineEntry(
            step.recorded_at,
            "partner",
            step.recorded_by,
            f"{step.onward_referral.service}: "
            f"{chased if step.chased else step.get_status_display().lower()} "
            f"({step.on:%d/%m/%Y})",
        )
        for step in steps
    ]
