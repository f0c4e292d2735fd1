"""Demo partner services, support plans and onward referrals in every state, and twelve
weeks of partner waits for the dashboard. Idempotent: the first organisation marks the
whole set as present."""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Team
from partners.choices import HowToRefer, NeedSource, OnwardStatus, RiskLevel, RiskTool, SharedDetail
from partners.choices import SupportKind as Kind
from partners.models import (
    OnwardReferral,
    OnwardReferralStep,
    PartnerOrganisation,
    PartnerService,
    RiskAssessment,
    SupportNeed,
)
from partners.rules.summary import partner_summary
from partners.services.support import chase_date
from referrals.choices import Status
from referrals.demo import DEMO_REFERRALS, demo_reference
from referrals.models import Referral

BIRMINGHAM, STOKE = "Birmingham and Solihull", "Stoke and North Staffordshire"
# organisation, service, kind, team, women only, languages, how, contact, stated wait (days)
# fmt: off
SERVICES = [
    ("Birmingham Talking Therapies", "Trauma-focused therapy", Kind.MENTAL_HEALTH, BIRMINGHAM, False, ["en", "ur", "pa", "pl"], HowToRefer.PORTAL, "https://talkingtherapies.example/refer", 42),
    ("Birmingham and Solihull Women's Aid", "IDVA service", Kind.DOMESTIC_ABUSE, BIRMINGHAM, True, ["en", "ur", "bn"], HowToRefer.SECURE_EMAIL, "idva@bswaid.example", 7),
    ("Birmingham Community Safety Partnership", "Birmingham MARAC", Kind.MARAC, BIRMINGHAM, False, ["en"], HowToRefer.SECURE_EMAIL, "marac@birmingham.example", 14),
    ("Rape and Sexual Violence Project", "ISVA service", Kind.SEXUAL_VIOLENCE, BIRMINGHAM, True, ["en", "pl"], HowToRefer.PHONE, "0121 496 0100", 28),
    ("Birmingham City Council", "Housing options", Kind.HOUSING, BIRMINGHAM, False, ["en", "ur", "pa", "bn", "pl", "ro"], HowToRefer.PORTAL, "https://housing.birmingham.example", 10),
    ("Birmingham Children's Partnership", "Early help", Kind.FAMILY, BIRMINGHAM, False, ["en"], HowToRefer.SECURE_EMAIL, "earlyhelp@bcp.example", 21),
    ("North Staffordshire Combined Healthcare", "Talking therapies", Kind.MENTAL_HEALTH, STOKE, False, ["en", "ro"], HowToRefer.PORTAL, "https://nscht.example/refer", 56),
    ("Staffordshire Women's Aid", "Refuge and outreach", Kind.DOMESTIC_ABUSE, STOKE, True, ["en", "pl", "ro"], HowToRefer.PHONE, "01782 496 0200", 5),
    ("Stoke-on-Trent City Council", "Housing solutions", Kind.HOUSING, STOKE, False, ["en"], HowToRefer.SECURE_EMAIL, "housing@stoke.example", 14),
]
# Live cases (index into referrals.demo.DEMO_REFERRALS): need, detail, service name, status,
# days since the need was recorded, days from recording to sending.
LIVE = [
    (8, Kind.MENTAL_HEALTH, "Trauma-focused help, one to one", "Trauma-focused therapy", OnwardStatus.SENT, 12, 1),
    (8, Kind.HOUSING, "", "Housing options", OnwardStatus.ACKNOWLEDGED, 10, 2),
    (9, Kind.DOMESTIC_ABUSE, "Support from a woman IDVA, in Urdu", "IDVA service", OnwardStatus.SUPPORT_STARTED, 18, 1),
    (9, Kind.MARAC, "", "Birmingham MARAC", OnwardStatus.SENT, 3, 0),
    (5, Kind.HOUSING, "Somewhere safe to stay", "Housing options", OnwardStatus.APPOINTMENT_OFFERED, 5, 0),
    (6, Kind.FAMILY, "", "Early help", OnwardStatus.DECLINED_BY_HER, 8, 1),
    (7, Kind.MENTAL_HEALTH, "Anxiety; counselling in Polish", "Trauma-focused therapy", OnwardStatus.NOT_ACCEPTED, 11, 1),
    (4, Kind.SEXUAL_VIOLENCE, "", "ISVA service", OnwardStatus.WITHDRAWN, 4, 1),
    (18, Kind.MENTAL_HEALTH, "Trauma-focused therapy", "Talking therapies", OnwardStatus.SENT, 22, 2),
    (17, Kind.DOMESTIC_ABUSE, "", "Refuge and outreach", OnwardStatus.ACKNOWLEDGED, 9, 1),
]
# fmt: on
SHARED = [SharedDetail.NAME, SharedDetail.CONTACT, SharedDetail.NEED, SharedDetail.LANGUAGE]
HISTORY_CASES = 60


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


def _make(referral, need, service, status, *, sent_on, by, end_on=None):
    """An onward referral that has reached ``status`` (on ``end_on``: support started or
    it ended; by default half-way from sending to today), with a step for each stage."""
    today = timezone.localdate()
    end_on = end_on or sent_on + (today - sent_on) / 2
    between = max((end_on - sent_on).days, 0)

    def part(fraction):
        return sent_on + timedelta(days=int(between * fraction))

    stages = [(OnwardStatus.SENT, sent_on)]
    dates = {"sent_on": sent_on}
    answered = [OnwardStatus.ACKNOWLEDGED, OnwardStatus.APPOINTMENT_OFFERED,
                OnwardStatus.SUPPORT_STARTED]  # fmt: skip
    if status in answered:
        dates["acknowledged_on"] = part(0.2)
        stages.append((OnwardStatus.ACKNOWLEDGED, dates["acknowledged_on"]))
    if status in answered[1:]:
        dates["appointment_offered_on"] = part(0.5)
        dates["appointment_on"] = (
            end_on if status == OnwardStatus.SUPPORT_STARTED else (today + timedelta(days=7))
        )
        stages.append((OnwardStatus.APPOINTMENT_OFFERED, dates["appointment_offered_on"]))
    if status == OnwardStatus.SUPPORT_STARTED:
        dates["support_started_on"] = end_on
        stages.append((status, end_on))
    if status in (OnwardStatus.DECLINED_BY_HER, OnwardStatus.NOT_ACCEPTED, OnwardStatus.WITHDRAWN):
        dates["ended_on"] = end_on
        stages.append((status, end_on))
    onward = OnwardReferral.objects.create(
        referral=referral, need=need, service=service, status=status, shared_details=SHARED,
        consent_given_on=sent_on, consent_version=settings.PARTNER_CONSENT_VERSION,
        consent_recorded_by=by, summary=partner_summary(referral=referral, need=need, shared=SHARED),
        chase_on=chase_date(sent_on) if status == OnwardStatus.SENT else None,
        created_at=_at(sent_on), **dates,
    )  # fmt: skip
    OnwardReferralStep.objects.bulk_create(
        OnwardReferralStep(
            onward_referral=onward, status=stage, on=day, recorded_by=by, recorded_at=_at(day)
        )
        for stage, day in stages
    )
    return onward


def seed(stdout):
    if PartnerOrganisation.objects.filter(name=SERVICES[0][0]).exists():
        stdout.write("  partners: already there")
        return
    teams = {team.name: team for team in Team.objects.all()}
    services = {}
    for org, name, kind, team, women_only, languages, how, contact, wait in SERVICES:
        organisation, _ = PartnerOrganisation.objects.get_or_create(name=org)
        service = PartnerService.objects.create(
            organisation=organisation, name=name, kind=kind, women_only=women_only,
            languages=languages, how_to_refer=how, referral_contact=contact,
            usual_wait_days=wait,
            referral_needs="Her consent, her safe contact details, and what she wants help with.",
        )  # fmt: skip
        if team in teams:
            service.teams.add(teams[team])
        services[name] = service
    today = timezone.localdate()
    live = 0
    for index, kind, detail, service_name, status, days_ago, to_send in LIVE:
        referral = Referral.objects.filter(reference=demo_reference(index)).first()
        if referral is None or referral.assigned_to is None:
            continue
        by = referral.assigned_to
        recorded_on = today - timedelta(days=days_ago)
        need, _ = SupportNeed.objects.get_or_create(
            referral=referral, kind=kind, closed_at=None,
            defaults={"detail": detail or None, "source": NeedSource.ASSESSMENT,
                      "recorded_by": by, "recorded_at": _at(recorded_on)},
        )  # fmt: skip
        _make(referral, need, services[service_name], status,
              sent_on=recorded_on + timedelta(days=to_send), by=by)  # fmt: skip
        live += 1
    # Rukhsana (index 9): a high DASH score, and her MARAC referral sent above.
    rukhsana = Referral.objects.filter(reference=demo_reference(9)).first()
    if rukhsana and rukhsana.assigned_to:
        RiskAssessment.objects.create(
            referral=rukhsana, tool=RiskTool.DASH, assessed_on=today - timedelta(days=4),
            score=15, level=RiskLevel.HIGH, recorded_by=rukhsana.assigned_to,
        )  # fmt: skip
    # Aisha (index 0) is still in the queue; Farzana (6) has a medium-risk assessment and
    # Tasha's keyworker will see the MARAC prompt once a high risk is recorded.
    farzana = Referral.objects.filter(reference=demo_reference(6)).first()
    if farzana and farzana.assigned_to:
        RiskAssessment.objects.create(
            referral=farzana, tool=RiskTool.DASH, assessed_on=today - timedelta(days=6),
            score=9, level=RiskLevel.MEDIUM, recorded_by=farzana.assigned_to,
        )  # fmt: skip
    history = seed_history(services, today)
    stdout.write(
        f"  partners: {len(SERVICES)} services, {live} live partner referrals, "
        f"{history} past ones for the dashboard"
    )


def seed_history(services, today) -> int:
    """Past partner referrals on older demo cases (made by the sessions history), most with
    support started over the last twelve weeks, some still waiting."""
    chooser = random.Random("haven-partner-history")  # noqa: S311 - not a secret  # nosec B311
    demo_refs = [demo_reference(i) for i in range(len(DEMO_REFERRALS))]
    cases = list(
        Referral.objects.filter(assigned_to__isnull=False, anonymised_at__isnull=True)
        .exclude(reference__in=demo_refs)
        .exclude(status=Status.NEW)
        .select_related("assigned_to", "team")
        .order_by("created_at", "pk")[:HISTORY_CASES]
    )
    by_team = {}
    for service in services.values():
        for team in service.teams.all():
            by_team.setdefault(team.pk, []).append(service)
    made = 0
    for case in cases:
        options = [s for s in by_team.get(case.team_id, []) if s.kind != Kind.MARAC]
        if not options:
            continue
        # Mental-health support is where women wait longest: half the history is about it.
        mental_health = [s for s in options if s.kind == Kind.MENTAL_HEALTH]
        service = chooser.choice(
            mental_health if mental_health and chooser.random() < 0.5 else options
        )
        recorded_on = max(
            timezone.localdate(case.created_at) + timedelta(days=chooser.randint(1, 10)),
            today - timedelta(weeks=16),
        )
        if recorded_on >= today:
            continue
        waited = chooser.randint(int(service.usual_wait_days * 0.5), service.usual_wait_days * 2)
        started_on = recorded_on + timedelta(days=waited)
        # About one in four is still waiting, so the waits now have women in them.
        still_waiting = case.status != Status.CLOSED and (
            started_on >= today or chooser.random() < 0.25
        )
        status = OnwardStatus.ACKNOWLEDGED if still_waiting else OnwardStatus.SUPPORT_STARTED
        need = SupportNeed.objects.filter(referral=case, kind=service.kind, closed_at=None).first()
        if need is None:
            need = SupportNeed.objects.create(
                referral=case, kind=service.kind, source=NeedSource.REFERRAL,
                recorded_by=case.assigned_to, recorded_at=_at(recorded_on),
            )  # fmt: skip
        _make(case, need, service, status, sent_on=recorded_on + timedelta(days=1),
              by=case.assigned_to, end_on=None if still_waiting else started_on)  # fmt: skip
        made += 1
    return made
