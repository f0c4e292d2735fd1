"""Actions that change referrals."""

import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.selectors import team_for_referral
from notices.services import queue
from referrals.choices import Source
from referrals.models import Referral
from referrals.rules.priority import assess_priority
from referrals.rules.reference import new_reference_code

logger = logging.getLogger(__name__)

# Notices a new referral causes (delivered by referrals.tasks; registered in apps.py).
TEAM_TOLD = "referrals.team_told"
CONFIRMATION_SENT = "referrals.confirmation_sent"

# Answers from the form steps that are stored on the referral as they are.
REFERRAL_FIELDS = {
    field.name
    for field in Referral._meta.get_fields()
    if getattr(field, "editable", False) and not field.is_relation
} - {"id", "reference", "source", "priority", "priority_reasons", "status", "consent_given_at"}
YES_NO_FIELDS = {
    field.name
    for field in Referral._meta.get_fields()
    if field.get_internal_type() == "BooleanField"
}


class NoTeamAvailable(Exception):
    """No team covers the area and no default team is set: a configuration error."""


def create_referral(
    *,
    answers: dict,
    source: Source,
    reference: str | None = None,
    notify: bool = True,
    submission_key: uuid.UUID | None = None,
) -> Referral:
    """Store a new referral from the form's answers, routed to a team and prioritised.

    ``submission_key`` makes sending idempotent: the form gives one key to each filling-in,
    and sending it again (a double press, or again after an error) returns the referral
    already stored under it, with its reference, instead of making a second one.

    Her team's e-mail and her own confirmation are queued as notices in the same
    transaction (``notices``), sent by a worker once it has committed: with Redis down they
    wait, they are not lost, and her confirmation page does not wait for them. ``notify`` is
    off only for demo data.
    """
    if submission_key is not None:
        already = Referral.objects.filter(submission_key=submission_key).first()
        if already is not None:
            return already
    district = answers.get("postcode", "")
    authority = answers.get("local_authority", "")
    team = team_for_referral(postcode_district=district, local_authority=authority)
    if team is None:
        raise NoTeamAvailable("No team covers this area and no default team is configured.")
    assessment = assess_priority(
        safe_now=answers.get("safe_now", ""),
        children_at_risk=bool(answers.get("children_at_risk")),
        pregnant=answers.get("pregnant", ""),
        abuse_experience=answers.get("abuse_experience", ""),
    )
    values = {name: answers[name] for name in REFERRAL_FIELDS if name in answers}
    # Unanswered yes/no questions arrive as None; the record stores them as "no".
    values.update({name: False for name in YES_NO_FIELDS if values.get(name, False) is None})
    referral = Referral(
        **values,
        source=source,
        team=team,
        area_postcode_district=district,
        area_local_authority=authority,
        priority=assessment.priority,
        priority_reasons=assessment.reasons,
        consent_given_at=timezone.now(),
    )
    if reference:
        referral.reference = reference
    referral.submission_key = submission_key
    with transaction.atomic():
        try:
            save_with_unique_reference(referral)
        except IntegrityError:
            if submission_key is None:
                raise
            # The same filling-in, sent twice at once: the other request stored it first.
            return Referral.objects.get(submission_key=submission_key)
        if notify:
            queue(TEAM_TOLD, referral.pk)
            queue(CONFIRMATION_SENT, referral.pk)
        else:
            Referral.objects.filter(pk=referral.pk).update(team_notified_at=timezone.now())
    logger.info("referral %s created for team %s", referral.pk, team.pk)
    return referral


def save_with_unique_reference(referral: Referral, *, attempts: int = 5) -> None:
    """Insert the referral; on the (astronomically rare) clash of codes, draw another."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                referral.save()
            return
        except IntegrityError as error:
            if "reference" not in str(error) or attempt == attempts - 1:
                raise
            referral.reference = new_reference_code()
