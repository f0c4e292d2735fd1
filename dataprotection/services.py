"""Removing her personal data: anonymising a case (retention), erasing it on her request,
and the retention run.

Anonymising is driven by the inventory: every field marked ``CLEAR`` on every model about
her is emptied, rows marked for deletion are deleted, and the same is done to pghistory's
event rows (their before/after copies), which are append-only: their trigger is switched
off for this one transaction only. What the service's figures need stays: dates, status,
closing reason, source, team, priority, attendance, contact attempts' times, channels and
outcomes. The audit log is never rewritten; what it records is ids and codes only.
"""

import logging
from datetime import datetime

import pgtrigger
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.refusals import Refused
from dataprotection import inventory
from dataprotection.selectors import ACTIVE_BOOKING, cases_due_for_retention
from referrals.choices import AnonymisedBecause, ClosedReason, Status
from referrals.models import Referral, StatusChange
from sessions_booking.services.booking import cancel_booking
from sessions_booking.services.reminders import cancel_reminders

logger = logging.getLogger(__name__)


def _event_triggers() -> list[str]:
    return [f"{m.label}:append_only" for m in inventory.models_about_her() if m.tracks]


def remove_personal_data(referral_pk: int) -> None:
    """Clear every personal field of every row about her (and their history), and delete
    the rows the inventory says go. Call with her referral row locked."""
    with pgtrigger.ignore(*_event_triggers()):
        for classified in inventory.models_about_her():
            rows = classified.model.objects.filter(**{classified.path_to_her or "pk": referral_pk})
            if classified.use.delete_rows:
                rows.delete()
                continue
            meta = classified.model._meta
            cleared = {
                name: inventory.empty_value(meta.get_field(name))
                for name in classified.cleared_fields
            }
            if cleared:
                rows.update(**cleared)


def _anonymise_locked(referral, *, because, by, now, closed_reason) -> None:
    closing = referral.status != Status.CLOSED
    if closing:
        # Nothing is left to work with: she leaves every work list as a closed case.
        StatusChange.objects.create(
            referral=referral,
            from_status=referral.status,
            to_status=Status.CLOSED,
            closed_reason=closed_reason,
            changed_by=by,
            changed_at=now,
        )
    Referral.objects.filter(pk=referral.pk).update(
        status=Status.CLOSED,
        closed_reason=closed_reason if closing else referral.closed_reason,
        closed_at=now if closing else referral.closed_at,
        next_contact_on=None,
        anonymised_at=now,
        anonymised_because=because,
        updated_at=now,
    )
    remove_personal_data(referral.pk)
    referral.refresh_from_db()


def anonymise_case(
    *, referral_id: int, because: str, actor=None, now: datetime | None = None
) -> bool:
    """Anonymise one case now (idempotent: False if it already was). An open case is closed
    as "unable to contact" by the service itself."""
    now = now or timezone.now()
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .filter(pk=referral_id, anonymised_at__isnull=True)
            .first()
        )
        if referral is None:
            return False
        _anonymise_locked(
            referral, because=because, by=None, now=now,
            closed_reason=ClosedReason.UNABLE_TO_CONTACT,
        )  # fmt: skip
        audit.record(actor=actor, action=AuditAction.ANONYMISED, referral=referral, because=because)
    return True


def run_retention(*, actor=None, now: datetime | None = None, limit: int | None = None):
    """Anonymise every case whose retention period has ended, under each rule, at most
    ``limit`` (RETENTION_BATCH_SIZE) per rule. Safe to run twice or twice at once: each case
    is claimed with ``skip_locked`` and re-checked, so a second run finds nothing to do.
    Records one RETENTION_RUN audit event with the counts (and one ANONYMISED per case) and
    logs the counts only. Returns the counts by rule."""
    now = now or timezone.now()
    limit = limit or settings.RETENTION_BATCH_SIZE
    counts = {}
    for because, due in cases_due_for_retention(now=now).items():
        done = 0
        for pk in list(due.order_by("pk").values_list("pk", flat=True)[:limit]):
            with transaction.atomic():
                referral = (
                    due.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
                )
                if referral is None:  # another run has it, or it is no longer due
                    continue
                _anonymise_locked(
                    referral, because=because, by=None, now=now,
                    closed_reason=ClosedReason.UNABLE_TO_CONTACT,
                )  # fmt: skip
                audit.record(
                    actor=actor, action=AuditAction.ANONYMISED, referral=referral, because=because
                )
                done += 1
        counts[str(because)] = done
    audit.record(
        actor=actor,
        action=AuditAction.RETENTION_RUN,
        **counts,
        closed_years=settings.RETENTION_CLOSED_YEARS,
        never_contacted_months=settings.RETENTION_NEVER_CONTACTED_MONTHS,
    )
    logger.info(
        "retention: anonymised %d closed cases and %d never-contacted self-referrals",
        counts[AnonymisedBecause.CLOSED_CASE],
        counts[AnonymisedBecause.NEVER_CONTACTED],
    )
    return counts


def erase_case(*, actor, referral_id: int, reason: str) -> Referral:
    """Erase her personal data on her request: cancel her future bookings (the waiting list
    moves up), cancel reminders not yet sent, close the case if open, anonymise it and
    record the tombstone (ERASED, with the admin's reason) in the audit log."""
    now = timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral_id)
        if referral.anonymised_at is not None:
            raise Refused(
                _("Her personal data was already removed on %(date)s.")
                % {"date": timezone.localtime(referral.anonymised_at).strftime("%d %b %Y")}
            )
        future = referral.bookings.filter(status__in=ACTIVE_BOOKING, session__starts_at__gt=now)
        cancelled = 0
        for booking in future.select_related("session", "referral"):
            try:
                cancel_booking(actor=actor, booking=booking)
            except Refused:  # the session started a moment ago: it stays as it was
                continue
            cancelled += 1
        cancel_reminders(referral.bookings.values_list("pk", flat=True))
        _anonymise_locked(
            referral, because=AnonymisedBecause.ERASURE_REQUEST, by=actor, now=now,
            closed_reason=ClosedReason.DECLINED,
        )  # fmt: skip
        audit.record(
            actor=actor,
            action=AuditAction.ERASED,
            referral=referral,
            reason=reason,
            bookings_cancelled=cancelled,
        )
    return referral
