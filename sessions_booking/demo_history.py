"""Sixteen weeks of past work for the demo dashboard: referrals that were contacted (or
not), past group sessions with a register, crèche use and a waitlist promotion, so
`make run` shows waiting times, occupancy and attendance with real numbers.

Deterministic (seeded random) and idempotent: the first history referral's reference
marks the whole history as present."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from referrals.choices import ClosedReason, ContactOutcome, Source, Status
from referrals.demo import demo_answers
from referrals.models import ContactAttempt, Referral, StatusChange
from referrals.rules.reference import ALPHABET, CODE_LENGTH
from referrals.services.intake import create_referral
from sessions_booking.models import Booking, BookingStatus, GroupSession, Programme, Venue

WEEKS = 16
NAMES = [
    "Amy", "Bushra", "Claire", "Dorota", "Elena", "Fatima", "Grace", "Hannah", "Ilona",
    "Jasmin", "Karen", "Laura", "Maria", "Nasreen", "Olivia", "Parveen", "Rachel", "Sabina",
    "Tina", "Urszula", "Vicky", "Wendy", "Yasmin", "Zofia",
]  # fmt: skip
# Postcode districts per team (see accounts.demo.TEAMS); Birmingham gets more referrals.
DISTRICTS = ["B11", "B12", "B13", "B23", "B30", "B8", "ST1", "ST4", "ST6"]
# (programme, venue, weekday, hour, places, crèche places)
PAST_GROUPS = [
    ("Women's recovery group", "Moseley Women's Centre", 1, 10, 12, 4),
    ("Trauma-informed stabilisation", "Hanley Community Hub", 2, 18, 8, 0),
]


def history_reference(index: int) -> str:
    chooser = random.Random(f"haven-history-{index}")  # noqa: S311 - not a secret  # nosec B311
    return "".join(chooser.choice(ALPHABET) for _ in range(CODE_LENGTH))


def seed_history(stdout):
    if Referral.objects.filter(reference=history_reference(0)).exists():
        stdout.write("  history: already seeded")
        return
    chooser = random.Random("haven-history")  # noqa: S311 - demo data  # nosec B311
    now = timezone.now()
    sessions = _past_sessions(now)
    keyworkers = _keyworkers_by_team()
    made = attended = 0
    for index in range(WEEKS * 7):
        received = now - timedelta(days=WEEKS * 7 - index, hours=chooser.randint(0, 10))
        referral = _history_referral(index, chooser, received)
        made += 1
        keyworker = chooser.choice(keyworkers[referral.team_id])
        attended += _history_casework(referral, keyworker, received, sessions, chooser, now)
    stdout.write(
        f"  history: {made} referrals over {WEEKS} weeks, {len(sessions)} past sessions, "
        f"{attended} women attended a group"
    )


def _keyworkers_by_team():
    teams = {}
    for user in User.objects.filter(email__endswith="@haven.example", team__isnull=False):
        teams.setdefault(user.team_id, []).append(user)
    return teams


def _past_sessions(now) -> list[GroupSession]:
    sessions = []
    for programme_name, venue_name, weekday, hour, places, creche in PAST_GROUPS:
        programme = Programme.objects.get(name=programme_name)
        venue = Venue.objects.get(name=venue_name)
        today = timezone.localdate()
        last = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        for week in range(WEEKS):
            day = last - timedelta(weeks=week)
            starts_at = timezone.make_aware(datetime.combine(day, time(hour)))
            sessions.append(
                GroupSession.objects.create(
                    programme=programme,
                    venue=venue,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2),
                    capacity=places,
                    creche_places=creche,
                    booking_cutoff=starts_at - timedelta(hours=2),
                )
            )
    return sorted(sessions, key=lambda session: session.starts_at)


def _history_referral(index, chooser, received) -> Referral:
    name = NAMES[index % len(NAMES)]
    district = chooser.choice(DISTRICTS)
    source = Source.PROFESSIONAL if chooser.random() < 0.35 else Source.SELF
    extra = {}
    if chooser.random() < 0.15:
        extra = {"preferred_language": chooser.choice(["pl", "ro", "ur", "pa", "bn"]),
                 "needs_interpreter": True}  # fmt: skip
    answers = demo_answers(100 + index, name, district, source, extra)
    referral = create_referral(
        answers=answers, source=source, reference=history_reference(index), notify=False
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=received, team_notified_at=received)
    referral.created_at = received
    return referral


def _history_casework(referral, keyworker, received, sessions, chooser, now) -> int:
    """Contact attempts, status changes and, for most, a first group session. Returns 1
    if she attended a session."""
    changes = [(Status.NEW, Status.CONTACTING)]
    at = received + timedelta(hours=chooser.uniform(4, 100))
    if at > now:
        return 0
    channel = referral.safe_channels[0]
    if chooser.random() < 0.3:
        _attempt(referral, keyworker, at, channel, ContactOutcome.NO_ANSWER)
        at += timedelta(hours=chooser.uniform(20, 120))
    reached = chooser.random() < 0.85 and at < now
    if reached:
        _attempt(referral, keyworker, at, channel, ContactOutcome.SPOKE)
        changes.append((Status.CONTACTING, Status.ASSESSMENT))
    first_group = at + timedelta(days=chooser.uniform(3, 30))
    session = next((s for s in sessions if s.starts_at >= first_group), None)
    went = reached and session is not None and session.starts_at < now and chooser.random() < 0.7
    if went:
        changes.append((Status.ASSESSMENT, Status.ACTIVE))
        _bookings(referral, keyworker, session, sessions, chooser)
    status, closed_reason = changes[-1][1], ""
    if (now - received).days > 70 and chooser.random() < 0.6:
        closed_reason = ClosedReason.COMPLETED if went else ClosedReason.UNABLE_TO_CONTACT
        changes.append((status, Status.CLOSED))
        status = Status.CLOSED
    for n, (source, target) in enumerate(changes):
        StatusChange.objects.create(
            referral=referral,
            from_status=source,
            to_status=target,
            changed_by=keyworker,
            changed_at=received + timedelta(hours=6 + 30 * n),
            closed_reason=closed_reason if target == Status.CLOSED else "",
        )
    Referral.objects.filter(pk=referral.pk).update(
        status=status,
        assigned_to=keyworker,
        assigned_at=received + timedelta(hours=3),
        closed_reason=closed_reason,
        closed_at=now - timedelta(days=chooser.randint(1, 20)) if closed_reason else None,
    )
    return 1 if went else 0


def _attempt(referral, keyworker, at, channel, outcome):
    ContactAttempt.objects.create(
        referral=referral, made_by=keyworker, made_at=at, channel=channel, outcome=outcome
    )


def _bookings(referral, keyworker, first, sessions, chooser):
    """Her first session (attended or late) and up to three more of the same group. One
    in ten came off a waitlist a few days after booking."""
    same_group = [
        s
        for s in sessions
        if s.programme_id == first.programme_id and s.starts_at >= first.starts_at
    ]
    for n, session in enumerate(same_group[:4]):
        taken, children_booked = getattr(session, "demo_fill", (0, 0))
        if taken >= session.capacity:
            break
        children = len(referral.children_ages) if referral.needs_childcare else 0
        if children_booked + children > session.creche_places:
            children = 0
        if n == 0:
            status = BookingStatus.LATE if chooser.random() < 0.15 else BookingStatus.ATTENDED
        else:
            status = chooser.choices(
                [
                    BookingStatus.ATTENDED,
                    BookingStatus.DID_NOT_ATTEND,
                    BookingStatus.CANCELLED_LATE,
                ],
                weights=[7, 2, 1],
            )[0]
        booking = Booking.objects.create(
            session=session,
            referral=referral,
            status=status,
            children_in_creche=children,
            children_ages=referral.children_ages[:children],
            booked_by=keyworker,
        )
        booked_at = session.starts_at - timedelta(days=chooser.randint(4, 9))
        promoted_at = booked_at + timedelta(days=chooser.randint(1, 3))
        Booking.objects.filter(pk=booking.pk).update(
            created_at=booked_at, promoted_at=promoted_at if chooser.random() < 0.1 else None
        )
        session.demo_fill = (taken + 1, children_booked + children)
