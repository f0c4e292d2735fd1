"""Interpreters for group sessions: asking the agency for one per session and language,
recording its answer, and flagging a request nobody needs any more. Like every change to a
session's bookings, each locks the session row first (``booking`` calls these inside its own
transaction, with the row already locked)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.refusals import Refused
from sessions_booking.choices import INTERPRETER_ACTIVE
from sessions_booking.models import BookingStatus, GroupSession, InterpreterRequest

ACTIVE = [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]


def _lock_session(session_pk: int) -> GroupSession:
    return GroupSession.objects.select_for_update().get(pk=session_pk)


@dataclass(frozen=True)
class InterpreterWish:
    """How she would like her interpreter: face to face (the default for group and trauma
    work) or by telephone, and whether a female interpreter."""

    mode: str = "face_to_face"
    female: bool = False


def request_interpreter(
    *, actor, session: GroupSession, language: str, mode: str = "face_to_face", female=False
) -> InterpreterRequest:
    """Ask for an interpreter for ``language`` at ``session``; a request already standing
    for that language is kept (made female-only if she asks for a female interpreter)."""
    with transaction.atomic():
        session = _lock_session(session.pk)
        if session.is_cancelled:
            raise Refused(_("This session has been cancelled."))
        if language == session.language:
            raise Refused(
                _(
                    "The session is already delivered in %(language)s, so it needs no "
                    "%(language)s interpreter. Choose another language."
                )
                % {"language": session.get_language_display()}
            )
        standing = InterpreterRequest.objects.filter(
            session=session, language=language, status__in=INTERPRETER_ACTIVE
        ).first()
        if standing is not None:
            if female and not standing.female:
                standing.female = True
                standing.save(update_fields=["female", "updated_at"])
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATED_INTERPRETER,
                    session=session.pk,
                    interpreter_request=standing.pk,
                    female=True,
                )
            return standing
        created = InterpreterRequest.objects.create(
            session=session, language=language, mode=mode, female=female, requested_by=actor
        )
        audit.record(
            actor=actor,
            action=AuditAction.REQUESTED_INTERPRETER,
            session=session.pk,
            interpreter_request=created.pk,
            language=language,
        )
        return created


def update_interpreter_request(
    *, actor, interpreter_request: InterpreterRequest, status, agency_reference, mode, female
) -> InterpreterRequest:
    """Record the agency's answer: booked, confirmed or cancelled, with its reference."""
    with transaction.atomic():
        _lock_session(interpreter_request.session_id)
        changed = InterpreterRequest.objects.select_for_update().get(pk=interpreter_request.pk)
        if changed.status == "cancelled" and status != "cancelled":
            raise Refused(
                _("This request was cancelled. Request a new interpreter from the session page.")
            )
        changed.status = status
        changed.agency_reference = agency_reference
        changed.mode = mode
        changed.female = female
        if status == "cancelled":
            changed.flagged_for_cancelling_at = None
        changed.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATED_INTERPRETER,
            session=changed.session_id,
            interpreter_request=changed.pk,
            status=status,
        )
        return changed


def flag_interpreters_no_longer_needed(session: GroupSession, languages) -> None:
    """When the last woman needing a language has cancelled, its interpreter request is
    flagged for someone to cancel with the agency."""
    for language in set(languages) - {""}:
        still_needed = session.bookings.filter(
            status__in=ACTIVE, interpreter_language=language
        ).exists()
        if not still_needed:
            InterpreterRequest.objects.filter(
                session=session,
                language=language,
                status__in=INTERPRETER_ACTIVE,
                flagged_for_cancelling_at__isnull=True,
            ).update(flagged_for_cancelling_at=timezone.now())


def clear_flag(session: GroupSession, language: str) -> None:
    """A woman needing ``language`` booked in: its request stands again."""
    InterpreterRequest.objects.filter(
        session=session, language=language, status__in=INTERPRETER_ACTIVE
    ).update(flagged_for_cancelling_at=None)


def flag_every_request(session: GroupSession, *, at) -> None:
    """The session is cancelled: every interpreter asked for it is to be cancelled too."""
    InterpreterRequest.objects.filter(
        session=session, status__in=INTERPRETER_ACTIVE, flagged_for_cancelling_at__isnull=True
    ).update(flagged_for_cancelling_at=at)
