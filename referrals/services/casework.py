"""Actions keyworkers and team leads take on a case. Each one checks access, locks the
case row, changes it and writes an audit event, in one transaction."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.choices import AuditAction
from core.permissions import Role
from core.refusals import Refused
from referrals.choices import UNANSWERED_OUTCOMES, ClosedReason, Status
from referrals.models import CaseNote, ContactAttempt, Referral, StatusChange
from referrals.rules import access
from referrals.rules.workflow import find_transition

UNANSWERED_WINDOW = timedelta(days=14)
UNANSWERED_LIMIT = 3


def _locked_case(actor, pk) -> Referral:
    return access.get_visible_case(actor, pk, for_update=True)


def _require_work(user, referral):
    if not access.can_work_on(user, referral):
        raise Refused(_("Only her keyworker or a team lead can do this."))


@transaction.atomic
def pick_up(*, actor, pk: int) -> Referral:
    referral = _locked_case(actor, pk)
    if not access.can_pick_up(actor, referral):
        raise Refused(_("This referral has already been picked up."))
    referral.assigned_to = actor
    referral.assigned_at = timezone.now()
    referral.save(update_fields=["assigned_to", "assigned_at", "updated_at"])
    audit.record(actor=actor, action=AuditAction.PICKED_UP, referral=referral)
    return referral


def team_caseworkers(team) -> list[User]:
    """Who a team lead may assign cases to: active keyworkers and team leads of the team."""
    return list(
        User.objects.filter(
            team=team,
            is_active=True,
            groups__name__in=[Role.KEYWORKER.group_name, Role.TEAM_LEAD.group_name],
        )
        .distinct()
        .order_by("full_name")
    )


@transaction.atomic
def assign(*, actor, pk: int, keyworker_id: int) -> Referral:
    referral = _locked_case(actor, pk)
    if not access.is_team_lead_for(actor, referral):
        raise Refused(_("Only a team lead can assign cases."))
    keyworker = next((u for u in team_caseworkers(referral.team) if u.pk == keyworker_id), None)
    if keyworker is None:
        raise Refused(_("Choose a keyworker from this team."))
    previous = referral.assigned_to_id
    referral.assigned_to = keyworker
    referral.assigned_at = timezone.now()
    referral.save(update_fields=["assigned_to", "assigned_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.ASSIGNED,
        referral=referral,
        previous=previous,
        to=keyworker.pk,
    )
    return referral


@transaction.atomic
def change_status(*, actor, pk: int, target: str, closed_reason: str = "") -> Referral:
    referral = _locked_case(actor, pk)
    _require_work(actor, referral)
    transition = find_transition(referral.status, target)
    if not actor.has_perm(transition.permission):
        raise Refused(_("Only a team lead can do this: %(action)s.") % {"action": transition.label})
    if transition.needs_reason and closed_reason not in ClosedReason.values:
        raise Refused(_("Choose a reason for closing the case."))
    if referral.status == Status.NEW and referral.assigned_to_id is None:
        raise Refused(_("Pick up or assign the referral first."))
    source = referral.status
    referral.status = target
    if target == Status.CLOSED:
        referral.closed_reason = closed_reason
        referral.closed_at = timezone.now()
        referral.next_contact_on = None
    else:
        referral.closed_reason = ""
        referral.closed_at = None
    referral.save(
        update_fields=["status", "closed_reason", "closed_at", "next_contact_on", "updated_at"]
    )
    StatusChange.objects.create(
        referral=referral,
        from_status=source,
        to_status=target,
        closed_reason=referral.closed_reason,
        changed_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CHANGED_STATUS,
        referral=referral,
        source=source,
        target=target,
    )
    return referral


@transaction.atomic
def record_contact_attempt(*, actor, pk: int, channel: str, outcome: str, note: str = ""):
    referral = _locked_case(actor, pk)
    _require_work(actor, referral)
    if channel not in referral.safe_channels:
        raise Refused(_("She has not said this way of contacting her is safe."))
    attempt = ContactAttempt.objects.create(
        referral=referral, made_by=actor, channel=channel, outcome=outcome, note=note
    )
    audit.record(
        actor=actor,
        action=AuditAction.RECORDED_CONTACT,
        referral=referral,
        channel=channel,
        outcome=outcome,
    )
    return attempt


@transaction.atomic
def add_note(*, actor, pk: int, text: str, restricted: bool) -> CaseNote:
    referral = _locked_case(actor, pk)
    _require_work(actor, referral)
    note = CaseNote.objects.create(
        referral=referral, author=actor, text=text, restricted=restricted
    )
    audit.record(
        actor=actor, action=AuditAction.ADDED_NOTE, referral=referral, restricted=restricted
    )
    return note


@transaction.atomic
def set_next_contact(*, actor, pk: int, on: date | None) -> Referral:
    referral = _locked_case(actor, pk)
    _require_work(actor, referral)
    if referral.status == Status.CLOSED and on is not None:
        raise Refused(_("A closed case has no next contact. Reopen it first."))
    referral.next_contact_on = on
    referral.save(update_fields=["next_contact_on", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.SET_NEXT_CONTACT,
        referral=referral,
        on=on.isoformat() if on else None,
    )
    return referral


def suggests_unable_to_contact(referral, *, now=None) -> bool:
    """Three unanswered attempts in 14 days, and none answered since: suggest closing as
    "unable to contact"."""
    if referral.status == Status.CLOSED:
        return False
    since = (now or timezone.now()) - UNANSWERED_WINDOW
    recent = referral.contact_attempts.filter(made_at__gte=since)
    if recent.exclude(outcome__in=UNANSWERED_OUTCOMES).exists():
        return False
    return recent.filter(outcome__in=UNANSWERED_OUTCOMES).count() >= UNANSWERED_LIMIT
