"""Actions that change referrals."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.selectors import team_for_referral
from referrals.choices import Source
from referrals.models import Referral
from referrals.priority import assess_priority
from referrals.reference import new_reference_code

logger = logging.getLogger(__name__)

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
    *, answers: dict, source: Source, reference: str | None = None, notify: bool = True
) -> Referral:
    """Store a new referral from the form's answers, routed to a team and prioritised.

    Team members are told by a Celery task once the transaction has committed (``notify``
    is off only for demo data).
    """
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
    save_with_unique_reference(referral)
    if not notify:
        Referral.objects.filter(pk=referral.pk).update(team_notified_at=timezone.now())
        return referral

    from referrals.tasks import notify_team_of_new_referral, send_referral_confirmation

    # robust: with Redis (the queue) down she still gets her confirmation page; her team is
    # told by the notify_unnotified_referrals sweep instead. Her own confirmation email is
    # not sent late: she saw her code on screen.
    transaction.on_commit(lambda: notify_team_of_new_referral.delay(referral.pk), robust=True)
    transaction.on_commit(lambda: send_referral_confirmation.delay(referral.pk), robust=True)
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
