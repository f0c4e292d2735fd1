"""Writes to her support plan: needs, onward referrals and their steps, chasing a partner,
and domestic-abuse risk assessments. Each takes the acting member of staff, runs in one
transaction with her case locked, is audited, and raises Refused when a rule says no."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.dates import add_working_days
from core.refusals import Refused
from partners.choices import WAITING, OnwardStatus, SharedDetail
from partners.models import (
    OnwardReferral,
    OnwardReferralStep,
    PartnerService,
    RiskAssessment,
    SupportNeed,
)
from partners.rules import access
from partners.rules.summary import partner_summary
from partners.rules.support import STATUS_DATE_FIELD, covers_area, next_steps, step_date_problem


def _locked_case(actor, referral_id: int):
    """Her case, locked, if the actor may change her support plan; 404 if she may not see
    it at all, Refused if she may see but not change it."""
    referral = access.get_support_case(actor, referral_id, for_update=True)
    if not access.can_change_support(actor, referral):
        raise Refused(_("Only her keyworker or a team lead can change her support plan."))
    return referral


def chase_date(day: date) -> date:
    return add_working_days(day, settings.PARTNER_CHASE_WORKING_DAYS)


@transaction.atomic
def record_need(*, actor, referral_id: int, kind: str, detail: str = "", source: str):
    referral = _locked_case(actor, referral_id)
    if referral.support_needs.filter(kind=kind, closed_at__isnull=True).exists():
        raise Refused(_("This need is already on her support plan."))
    need = SupportNeed.objects.create(
        referral=referral, kind=kind, detail=detail or None, source=source, recorded_by=actor
    )
    audit.record(actor=actor, action=AuditAction.RECORDED_NEED, referral=referral, need=need.pk)
    return need


@transaction.atomic
def close_need(*, actor, referral_id: int, need_id: int):
    referral = _locked_case(actor, referral_id)
    need = referral.support_needs.filter(pk=need_id, closed_at__isnull=True).first()
    if need is None:
        raise Refused(_("That need is not open on her support plan."))
    if need.onward_referrals.filter(status__in=WAITING).exists():
        raise Refused(
            _("A partner referral for this need is still open: record how it ended first.")
        )
    need.closed_at = timezone.now()
    need.save(update_fields=["closed_at"])
    audit.record(
        actor=actor, action=AuditAction.RECORDED_NEED, referral=referral, need=need.pk,
        closed=True,
    )  # fmt: skip
    return need


@transaction.atomic
def refer_onward(
    *, actor, referral_id: int, need_id: int, service_id: int, shared_details: list[str],
    consent_given: bool, sent_on: date,
):  # fmt: skip
    """Refer her to a partner service for one of her open needs, with her consent recorded
    for this referral. The summary for the partner holds only what she agreed to share."""
    referral = _locked_case(actor, referral_id)
    today = timezone.localdate()
    need = referral.support_needs.filter(pk=need_id, closed_at__isnull=True).first()
    if need is None:
        raise Refused(_("Choose one of her open needs: she has not got that need on her plan."))
    service = (
        PartnerService.objects.select_related("organisation")
        .filter(pk=service_id, is_active=True)
        .first()
    )
    if service is None:
        raise Refused(_("That partner service is not taking referrals."))
    team_ids = set(service.teams.values_list("pk", flat=True))
    if not covers_area(service, referral, team_ids=team_ids):
        raise Refused(
            _("%(service)s does not cover her area. Choose a service that does.")
            % {"service": service}
        )
    if not consent_given:
        raise Refused(_("Record her consent to share before referring her."))
    shared = [value for value in SharedDetail.values if value in shared_details]
    if not shared:
        raise Refused(_("Choose what she agreed to share."))
    if sent_on > today:
        raise Refused(_("The date sent cannot be in the future."))
    if need.onward_referrals.filter(service=service, status__in=WAITING).exists():
        raise Refused(
            _("She already has an open referral to %(service)s for this need.")
            % {"service": service}
        )
    try:
        with transaction.atomic():
            onward = OnwardReferral.objects.create(
                referral=referral, need=need, service=service, shared_details=shared,
                consent_given_on=sent_on, consent_version=settings.PARTNER_CONSENT_VERSION,
                consent_recorded_by=actor,
                summary=partner_summary(referral=referral, need=need, shared=shared),
                sent_on=sent_on, chase_on=chase_date(sent_on),
            )  # fmt: skip
    except IntegrityError as error:  # a second open referral, sent at the same moment
        raise Refused(
            _("She already has an open referral to %(service)s for this need.")
            % {"service": service}
        ) from error
    OnwardReferralStep.objects.create(
        onward_referral=onward, status=OnwardStatus.SENT, on=sent_on, recorded_by=actor
    )
    audit.record(
        actor=actor, action=AuditAction.REFERRED_ONWARD, referral=referral, onward=onward.pk,
        service=service.pk, shared=shared, consent_version=onward.consent_version,
    )  # fmt: skip
    return onward


def _locked_onward(actor, referral_id: int, onward_id: int):
    referral = _locked_case(actor, referral_id)
    onward = (
        OnwardReferral.objects.select_for_update().filter(pk=onward_id, referral=referral).first()
    )
    if onward is None:
        raise Refused(_("No such partner referral on her case."))
    return referral, onward


@transaction.atomic
def record_step(
    *, actor, referral_id: int, onward_id: int, status: str, on: date,
    appointment_on: date | None = None,
):  # fmt: skip
    """Record where a partner referral has got to, and on which date."""
    referral, onward = _locked_onward(actor, referral_id, onward_id)
    if status not in next_steps(onward.status):
        raise Refused(
            _("A referral that is “%(now)s” cannot move to “%(next)s”.")
            % {"now": onward.get_status_display(), "next": OnwardStatus(status).label}
        )
    problem = step_date_problem(onward=onward, target=status, on=on, today=timezone.localdate())
    if problem:
        raise Refused(problem)
    if status == OnwardStatus.APPOINTMENT_OFFERED:
        if appointment_on is None:
            raise Refused(_("Give the date of the appointment offered."))
        if appointment_on < on:
            raise Refused(_("The appointment cannot be before the day it was offered."))
        onward.appointment_on = appointment_on
    setattr(onward, STATUS_DATE_FIELD[status], on)
    onward.status = status
    # Any answer from the partner, or the end of the referral, stops the chasing.
    onward.chase_on = None
    onward.save()
    OnwardReferralStep.objects.create(
        onward_referral=onward, status=status, on=on, recorded_by=actor
    )
    audit.record(
        actor=actor, action=AuditAction.UPDATED_ONWARD_REFERRAL, referral=referral,
        onward=onward.pk, status=status,
    )  # fmt: skip
    return onward


@transaction.atomic
def chase(*, actor, referral_id: int, onward_id: int):
    """She chased the partner today: the next chase is due a set number of working days on."""
    referral, onward = _locked_onward(actor, referral_id, onward_id)
    if onward.status != OnwardStatus.SENT:
        raise Refused(_("Only a referral the partner has not answered is chased."))
    today = timezone.localdate()
    onward.last_chased_on = today
    onward.chase_on = chase_date(today)
    onward.save(update_fields=["last_chased_on", "chase_on", "updated_at"])
    OnwardReferralStep.objects.create(
        onward_referral=onward, status=onward.status, chased=True, on=today, recorded_by=actor
    )
    audit.record(
        actor=actor, action=AuditAction.UPDATED_ONWARD_REFERRAL, referral=referral,
        onward=onward.pk, chased=True,
    )  # fmt: skip
    return onward


@transaction.atomic
def record_risk_assessment(
    *, actor, referral_id: int, tool: str, assessed_on: date, score: int | None, level: str
):
    referral = _locked_case(actor, referral_id)
    if assessed_on > timezone.localdate():
        raise Refused(_("The date of the assessment cannot be in the future."))
    assessment = RiskAssessment.objects.create(
        referral=referral, tool=tool, assessed_on=assessed_on, score=score, level=level,
        recorded_by=actor,
    )  # fmt: skip
    audit.record(
        actor=actor, action=AuditAction.RECORDED_RISK, referral=referral,
        assessment=assessment.pk, level=level,
    )  # fmt: skip
    return assessment
