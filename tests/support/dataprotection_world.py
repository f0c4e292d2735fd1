"""A woman with something in every kind of record Haven keeps about her, and another woman
in the same team and group, for the data protection tests."""

from datetime import timedelta

from django.utils import timezone

from core.permissions import Role
from partners.services import support
from referrals.choices import Source, Status
from referrals.models import CaseNote, ContactAttempt, Referral, StatusChange
from sessions_booking.models import Booking, BookingStatus, Reminder
from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from tests.support.factories import (
    GroupSessionFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    enable_mfa,
    partner_service,
)


def woman(team, keyworker, marker: str, **extra) -> Referral:
    """A case whose every free-text answer contains ``marker``."""
    return ReferralFactory(
        team=team,
        assigned_to=keyworker,
        status=Status.ACTIVE,
        preferred_name=f"{marker}name",
        full_name=f"{marker} Fullname",
        phone="+447700900123" if marker == "Zofia" else "+447700900456",
        email=f"{marker.lower()}@example.org",
        postal_address=f"1 {marker} Street",
        safe_channels=["sms", "email"],
        if_someone_else_answers=f"Say {marker}-dentist",
        code_word=f"{marker}-codeword",
        abuse_details=f"{marker}-abuse-details",
        access_needs=f"{marker}-access",
        anything_else=f"{marker}-anything",
        substances_other=f"{marker}-substance",
        children_count=1,
        children_ages=[4],
        needs_childcare=True,
        **extra,
    )


def build_world():
    team = TeamFactory(name="North")
    keyworker = enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}, full_name="Kay Worker"))
    lead = enable_mfa(UserFactory(team=team, roles={Role.TEAM_LEAD}, full_name="Lee Lead"))
    admin = enable_mfa(
        UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True, full_name="Ada Admin")
    )
    # Subject access and erasure: the data-protection role, which admins do not hold.
    dpo = enable_mfa(UserFactory(team=None, roles={Role.DATA_PROTECTION}, full_name="Dee Officer"))
    her = woman(team, keyworker, "Zofia")
    other = woman(team, keyworker, "Otherwoman")
    for case, marker in ((her, "Zofia"), (other, "Otherwoman")):
        StatusChange.objects.create(
            referral=case, from_status=Status.NEW, to_status=Status.ACTIVE, changed_by=keyworker
        )
        ContactAttempt.objects.create(
            referral=case, made_by=keyworker, channel="sms", outcome="spoke",
            note=f"{marker}-attempt-note",
        )  # fmt: skip
        CaseNote.objects.create(referral=case, author=keyworker, text=f"{marker}-open-note")
        CaseNote.objects.create(
            referral=case, author=keyworker, text=f"{marker}-restricted-note", restricted=True
        )
    # A change to her phone: the old number stays in the field history.
    her.phone = "+447700900999"
    her.save()
    session = GroupSessionFactory(capacity=1, creche_places=4)
    booking = book_client(
        actor=keyworker, referral=her, session=session,
        children_in_creche=1, children_ages=[4],
    )  # fmt: skip
    waiting = book_client(actor=keyworker, referral=other, session=session)
    assert (booking.status, waiting.status) == (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
    issue_link(booking)
    Reminder.objects.filter(booking=booking).update(
        provider_reference="prov-Zofia-ref", last_error="Could not send to +447700900999"
    )
    # A group she came to, in the past: attendance is a statistic and stays.
    past = GroupSessionFactory(
        programme=session.programme, venue=session.venue,
        starts_at=timezone.now() - timedelta(days=14),
        ends_at=timezone.now() - timedelta(days=14) + timedelta(hours=2),
        booking_cutoff=timezone.now() - timedelta(days=15),
    )  # fmt: skip
    attended = Booking.objects.create(
        session=past, referral=her, status=BookingStatus.ATTENDED, booked_by=keyworker,
        children_in_creche=1, children_ages=[4],
    )  # fmt: skip
    # Her support plan: a need in her words, a partner referral with what she agreed to
    # share, and a risk assessment; the other woman has a need of her own.
    partner = partner_service(name="Talking Therapies", teams=[team])
    for case, marker in ((her, "Zofia"), (other, "Otherwoman")):
        need = support.record_need(
            actor=keyworker, referral_id=case.pk, kind="mental_health",
            detail=f"{marker}-need-detail", source="assessment",
        )  # fmt: skip
        support.refer_onward(
            actor=keyworker, referral_id=case.pk, need_id=need.pk, service_id=partner.pk,
            shared_details=["name", "need", "access"], consent_given=True,
            sent_on=timezone.localdate(),
        )  # fmt: skip
    support.record_risk_assessment(
        actor=keyworker, referral_id=her.pk, tool="dash_ric", assessed_on=timezone.localdate(),
        score=14, level="high",
    )  # fmt: skip
    return {
        "team": team, "keyworker": keyworker, "lead": lead, "admin": admin, "dpo": dpo, "her": her,
        "other": other, "session": session, "booking": booking, "waiting": waiting,
        "attended": attended,
    }  # fmt: skip


def secrets_of(marker: str) -> list[str]:
    """Every value of hers ``woman`` and ``build_world`` wrote, for searching exports."""
    return [
        f"{marker}name", f"{marker} Fullname", f"{marker.lower()}@example.org",
        f"1 {marker} Street", f"Say {marker}-dentist", f"{marker}-codeword",
        f"{marker}-abuse-details", f"{marker}-access", f"{marker}-anything",
        f"{marker}-substance", f"{marker}-attempt-note", f"{marker}-open-note",
        f"{marker}-restricted-note", f"{marker}-need-detail",
    ]  # fmt: skip


# Her phone now and before it changed (in the field history); the other woman's phone.
HER_SECRETS = [*secrets_of("Zofia"), "+447700900999", "+447700900123"]
OTHER_SECRETS = [*secrets_of("Otherwoman"), "+447700900456"]
__all__ = ["HER_SECRETS", "OTHER_SECRETS", "Source", "build_world", "woman"]
