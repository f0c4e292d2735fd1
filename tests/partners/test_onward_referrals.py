"""Her support plan's rules, at the service layer: needs, onward referrals with her consent
and every transition, each refusal, chasing a partner that has not answered, and the
domestic-abuse risk flag with its MARAC prompt."""

from datetime import date, timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from core.choices import AuditAction
from core.dates import add_working_days
from core.models import AuditEvent
from core.refusals import Refused
from partners.choices import NeedSource, OnwardStatus, RiskLevel, RiskTool, SharedDetail
from partners.choices import SupportKind as Kind
from partners.models import OnwardReferral, OnwardReferralStep
from partners.selectors import case_flags, chases_due
from partners.services import support
from referrals.choices import Status
from tests.support.factories import ReferralFactory, partner_service

pytestmark = pytest.mark.django_db

SHARE = [SharedDetail.NAME, SharedDetail.NEED]


def refer(actor, her, need, service, **overrides):
    arguments = {
        "actor": actor, "referral_id": her.pk, "need_id": need.pk, "service_id": service.pk,
        "shared_details": SHARE, "consent_given": True, "sent_on": timezone.localdate(),
    }  # fmt: skip
    return support.refer_onward(**{**arguments, **overrides})


def step(actor, onward, status, on, **extra):
    return support.record_step(
        actor=actor, referral_id=onward.referral_id, onward_id=onward.pk, status=status,
        on=on, **extra,
    )  # fmt: skip


# --- needs --------------------------------------------------------------------------------
def test_a_need_is_recorded_once_while_it_is_open(her, amara, mental_health_need):
    assert mental_health_need.detail == "Trauma-focused, one to one"
    with pytest.raises(Refused, match="already on her support plan"):
        support.record_need(
            actor=amara, referral_id=her.pk, kind=Kind.MENTAL_HEALTH, source=NeedSource.ASSESSMENT
        )
    support.close_need(actor=amara, referral_id=her.pk, need_id=mental_health_need.pk)
    again = support.record_need(
        actor=amara, referral_id=her.pk, kind=Kind.MENTAL_HEALTH, source=NeedSource.ASSESSMENT
    )
    assert again.pk != mental_health_need.pk
    assert AuditEvent.objects.filter(action=AuditAction.RECORDED_NEED, referral=her).count() == 3


def test_a_need_with_an_open_partner_referral_cannot_be_closed(
    her, amara, mental_health_need, talking_therapies
):
    refer(amara, her, mental_health_need, talking_therapies)
    with pytest.raises(Refused, match="still open"):
        support.close_need(actor=amara, referral_id=her.pk, need_id=mental_health_need.pk)


# --- referring, with her consent ------------------------------------------------------------
def test_referring_records_her_consent_and_shares_only_what_she_agreed(
    her, amara, mental_health_need, talking_therapies, settings
):
    onward = refer(amara, her, mental_health_need, talking_therapies)
    assert onward.status == OnwardStatus.SENT
    assert onward.shared_details == SHARE
    assert onward.consent_given_on == timezone.localdate()
    assert onward.consent_version == settings.PARTNER_CONSENT_VERSION
    assert onward.consent_recorded_by == amara
    assert "Jodie Smith" in onward.summary
    assert "Trauma-focused, one to one" in onward.summary
    # Not agreed: her phone, email and address stay out of what the partner gets.
    for withheld in ("+447700900123", "jodie@example.org", "1 Secret Road"):
        assert withheld not in onward.summary
    assert [s.status for s in onward.steps.all()] == [OnwardStatus.SENT]
    event = AuditEvent.objects.get(action=AuditAction.REFERRED_ONWARD)
    assert event.referral == her
    assert event.actor == amara
    assert event.detail["shared"] == SHARE


def test_a_partner_covering_her_local_authority_but_not_her_team_may_be_chosen(
    her, amara, mental_health_need
):
    sandwell = partner_service(name="Sandwell Minds", areas=["sandwell "])
    assert refer(amara, her, mental_health_need, sandwell).status == OnwardStatus.SENT


@pytest.mark.parametrize(
    ("problem", "overrides", "message"),
    [
        ("outside her area", {}, "does not cover her area"),
        ("no consent", {"consent_given": False}, "Record her consent"),
        ("nothing to share", {"shared_details": []}, "what she agreed to share"),
        ("sent tomorrow", {"sent_on": "tomorrow"}, "cannot be in the future"),
    ],
)
def test_referrals_that_break_a_rule_are_refused(
    her, amara, mental_health_need, talking_therapies, far_away, problem, overrides, message
):
    service = far_away if problem == "outside her area" else talking_therapies
    if overrides.get("sent_on") == "tomorrow":
        overrides["sent_on"] = timezone.localdate() + timedelta(days=1)
    with pytest.raises(Refused, match=message):
        refer(amara, her, mental_health_need, service, **overrides)
    assert not OnwardReferral.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REFERRED_ONWARD).exists()


def test_a_need_she_has_not_got_is_refused(her, amara, team, talking_therapies):
    someone_else = ReferralFactory(team=team, assigned_to=amara, status=Status.ACTIVE)
    their_need = support.record_need(
        actor=amara, referral_id=someone_else.pk, kind=Kind.MENTAL_HEALTH,
        source=NeedSource.ASSESSMENT,
    )  # fmt: skip
    with pytest.raises(Refused, match="has not got that need"):
        refer(amara, her, their_need, talking_therapies)


def test_a_second_open_referral_for_the_same_need_to_the_same_partner_is_refused(
    her, amara, mental_health_need, talking_therapies
):
    first = refer(amara, her, mental_health_need, talking_therapies)
    with pytest.raises(Refused, match="already has an open referral"):
        refer(amara, her, mental_health_need, talking_therapies)
    # Once it ended, she can be referred there again.
    step(amara, first, OnwardStatus.NOT_ACCEPTED, timezone.localdate())
    assert refer(amara, her, mental_health_need, talking_therapies).pk != first.pk


# --- where it has got to -----------------------------------------------------------------
def test_sent_acknowledged_appointment_offered_support_started(
    her, amara, lead, mental_health_need, talking_therapies
):
    with time_machine.travel(date(2027, 3, 1), tick=False):  # a Monday
        onward = refer(amara, her, mental_health_need, talking_therapies)
    with time_machine.travel(date(2027, 4, 30), tick=False):
        step(amara, onward, OnwardStatus.ACKNOWLEDGED, date(2027, 3, 4))
        step(lead, onward, OnwardStatus.APPOINTMENT_OFFERED, date(2027, 3, 20),
             appointment_on=date(2027, 4, 6))  # fmt: skip
        done = step(amara, onward, OnwardStatus.SUPPORT_STARTED, date(2027, 4, 6))
    assert done.status == OnwardStatus.SUPPORT_STARTED
    assert (done.acknowledged_on, done.appointment_offered_on, done.appointment_on) == (
        date(2027, 3, 4), date(2027, 3, 20), date(2027, 4, 6),
    )  # fmt: skip
    assert done.support_started_on == date(2027, 4, 6)
    steps = list(done.steps.values_list("status", "on", "recorded_by"))
    assert steps == [
        (OnwardStatus.SENT, date(2027, 3, 1), amara.pk),
        (OnwardStatus.ACKNOWLEDGED, date(2027, 3, 4), amara.pk),
        (OnwardStatus.APPOINTMENT_OFFERED, date(2027, 3, 20), lead.pk),
        (OnwardStatus.SUPPORT_STARTED, date(2027, 4, 6), amara.pk),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.UPDATED_ONWARD_REFERRAL).count() == 3


@pytest.mark.parametrize("ending", [OnwardStatus.DECLINED_BY_HER, OnwardStatus.NOT_ACCEPTED,
                                    OnwardStatus.WITHDRAWN])  # fmt: skip
@pytest.mark.parametrize("reached", [OnwardStatus.SENT, OnwardStatus.ACKNOWLEDGED,
                                     OnwardStatus.APPOINTMENT_OFFERED])  # fmt: skip
def test_a_waiting_referral_can_end_at_any_stage_and_then_moves_no_further(
    her, amara, mental_health_need, talking_therapies, ending, reached
):
    today = timezone.localdate()
    onward = refer(amara, her, mental_health_need, talking_therapies)
    if reached != OnwardStatus.SENT:
        step(amara, onward, OnwardStatus.ACKNOWLEDGED, today)
    if reached == OnwardStatus.APPOINTMENT_OFFERED:
        step(amara, onward, reached, today, appointment_on=today)
    ended = step(amara, onward, ending, today)
    assert (ended.status, ended.ended_on, ended.chase_on) == (ending, today, None)
    with pytest.raises(Refused, match="cannot move"):
        step(amara, onward, OnwardStatus.SUPPORT_STARTED, today)


# Sent two days ago (day -2). Each case: the steps recorded first (status, day), then the
# step refused (status, day), and why.
OUT_OF_ORDER = {
    "support started before sent": ([], (OnwardStatus.SUPPORT_STARTED, -3), "cannot be before"),
    "offered before acknowledged": (
        [(OnwardStatus.ACKNOWLEDGED, -1)], (OnwardStatus.APPOINTMENT_OFFERED, -2),
        "cannot be before",
    ),
    "acknowledged tomorrow": ([], (OnwardStatus.ACKNOWLEDGED, 1), "cannot be in the future"),
    "acknowledged after support started": (
        [(OnwardStatus.SUPPORT_STARTED, 0)], (OnwardStatus.ACKNOWLEDGED, 0), "cannot move",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(OUT_OF_ORDER))
def test_steps_out_of_order_are_refused_and_change_nothing(
    her, amara, mental_health_need, talking_therapies, case
):
    today = timezone.localdate()
    first, (status, day), message = OUT_OF_ORDER[case]
    onward = refer(amara, her, mental_health_need, talking_therapies, sent_on=today - timedelta(2))
    for done, done_day in first:
        step(amara, onward, done, today + timedelta(days=done_day))
    before = list(OnwardReferral.objects.filter(pk=onward.pk).values())
    steps = OnwardReferralStep.objects.count()
    with pytest.raises(Refused, match=message):
        step(amara, onward, status, today + timedelta(days=day), appointment_on=today)
    assert list(OnwardReferral.objects.filter(pk=onward.pk).values()) == before
    assert OnwardReferralStep.objects.count() == steps


def test_an_appointment_offered_needs_the_appointment_date(
    her, amara, mental_health_need, talking_therapies
):
    onward = refer(amara, her, mental_health_need, talking_therapies)
    with pytest.raises(Refused, match="date of the appointment"):
        step(amara, onward, OnwardStatus.APPOINTMENT_OFFERED, timezone.localdate())


def test_the_database_refuses_support_started_before_sent(
    her, amara, mental_health_need, talking_therapies
):
    from django.db import IntegrityError, transaction

    onward = refer(amara, her, mental_health_need, talking_therapies)
    with pytest.raises(IntegrityError), transaction.atomic():
        OnwardReferral.objects.filter(pk=onward.pk).update(
            support_started_on=onward.sent_on - timedelta(days=1)
        )


def test_steps_are_never_rewritten(her, amara, mental_health_need, talking_therapies):
    from django.db import ProgrammingError, transaction

    onward = refer(amara, her, mental_health_need, talking_therapies)
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        onward.steps.update(on=onward.sent_on - timedelta(days=30))


# --- who may --------------------------------------------------------------------------------
def test_only_her_keyworker_and_team_lead_may_change_her_plan(
    her, amara, beata, lead, mental_health_need, talking_therapies
):
    with pytest.raises(Http404):
        refer(beata, her, mental_health_need, talking_therapies)
    assert refer(lead, her, mental_health_need, talking_therapies).status == OnwardStatus.SENT


def test_nothing_is_added_to_an_anonymised_case(her, amara, mental_health_need, talking_therapies):
    type(her).objects.filter(pk=her.pk).update(anonymised_at=timezone.now())
    with pytest.raises(Refused, match="Only her keyworker"):
        refer(amara, her, mental_health_need, talking_therapies)


# --- chasing the partner ------------------------------------------------------------------
def test_working_days_skip_the_weekend():
    friday, thursday = date(2027, 3, 5), date(2027, 3, 4)
    assert add_working_days(friday, 5) == date(2027, 3, 12)
    assert add_working_days(thursday, 2) == date(2027, 3, 8)
    assert add_working_days(date(2027, 3, 6), 1) == date(2027, 3, 8)  # Saturday -> Monday


def test_an_unanswered_referral_comes_to_be_chased_after_the_set_working_days(
    her, amara, mental_health_need, talking_therapies, settings
):
    settings.PARTNER_CHASE_WORKING_DAYS = 3
    with time_machine.travel(date(2027, 3, 4), tick=False):  # Thursday
        onward = refer(amara, her, mental_health_need, talking_therapies)
    assert onward.chase_on == date(2027, 3, 9)  # Fri, Mon, Tue
    with time_machine.travel(date(2027, 3, 8), tick=False):
        assert list(chases_due(user=amara)) == []
    with time_machine.travel(date(2027, 3, 9), tick=False):
        assert list(chases_due(user=amara)) == [onward]
        support.chase(actor=amara, referral_id=her.pk, onward_id=onward.pk)
        assert list(chases_due(user=amara)) == []
    chased = OnwardReferral.objects.get(pk=onward.pk)
    assert (chased.last_chased_on, chased.chase_on) == (date(2027, 3, 9), date(2027, 3, 12))
    assert chased.steps.filter(chased=True).count() == 1
    with time_machine.travel(date(2027, 3, 15), tick=False):
        assert list(chases_due(user=amara)) == [onward]  # overdue and still unanswered
        step(amara, chased, OnwardStatus.ACKNOWLEDGED, date(2027, 3, 15))
        assert list(chases_due(user=amara)) == []


def test_a_closed_case_and_another_keyworker_have_nothing_to_chase(
    her, amara, beata, mental_health_need, talking_therapies
):
    onward = refer(amara, her, mental_health_need, talking_therapies)
    OnwardReferral.objects.filter(pk=onward.pk).update(chase_on=timezone.localdate())
    assert list(chases_due(user=beata)) == []
    assert list(chases_due(user=amara)) == [onward]
    type(her).objects.filter(pk=her.pk).update(status=Status.CLOSED, closed_reason="completed")
    assert list(chases_due(user=amara)) == []


def test_only_a_referral_with_no_answer_is_chased(
    her, amara, mental_health_need, talking_therapies
):
    onward = refer(amara, her, mental_health_need, talking_therapies)
    step(amara, onward, OnwardStatus.ACKNOWLEDGED, timezone.localdate())
    with pytest.raises(Refused, match="not answered"):
        support.chase(actor=amara, referral_id=her.pk, onward_id=onward.pk)


# --- domestic-abuse risk and MARAC ---------------------------------------------------------
def assess(actor, her, level):
    return support.record_risk_assessment(
        actor=actor, referral_id=her.pk, tool=RiskTool.DASH,
        assessed_on=timezone.localdate(), score=15, level=level,
    )  # fmt: skip


def texts(her, user):
    return [flag.text for flag in case_flags(her, user=user)]


def test_a_high_risk_shows_the_safeguarding_flag_and_asks_for_marac_until_referred(
    her, amara, team
):
    assess(amara, her, RiskLevel.MEDIUM)
    assert texts(her, amara) == []
    assess(amara, her, RiskLevel.HIGH)
    flags = texts(her, amara)
    assert any("Safeguarding: high risk" in text for text in flags)
    assert any("refer her to MARAC" in text for text in flags)
    marac = partner_service(name="MARAC", kind=Kind.MARAC, teams=[team])
    need = support.record_need(
        actor=amara, referral_id=her.pk, kind=Kind.MARAC, source=NeedSource.ASSESSMENT
    )
    refer(amara, her, need, marac)
    flags = texts(her, amara)
    assert any("Safeguarding: high risk" in text for text in flags)
    assert not any("MARAC" in text for text in flags)
    assert any("Waiting for partner support: 1" in text for text in flags)
    her.status = Status.CLOSED
    assert texts(her, amara) == []  # while her case is open only
    assert AuditEvent.objects.filter(action=AuditAction.RECORDED_RISK).count() == 2


def test_a_risk_assessment_dated_in_the_future_is_refused(her, amara):
    with pytest.raises(Refused, match="future"):
        support.record_risk_assessment(
            actor=amara, referral_id=her.pk, tool=RiskTool.DASH,
            assessed_on=timezone.localdate() + timedelta(days=1), score=3, level=RiskLevel.STANDARD,
        )  # fmt: skip
