"""A year of one region's data for the HTTP benchmarks (bench/web.py), by bulk inserts.

6 teams of 10 keyworkers (and a team lead each) plus one service admin, every one with a
TOTP authenticator; 20,000 referrals received evenly over the last 365 days, in the
states a year of work leaves them (the last two days' still in the team queues, older ones
being worked on or closed), each worked case with its status changes, contact attempts and
a note; 3,000 group sessions from nine months ago to three months ahead; 30,000 bookings
into them (attendance marked in the past, confirmed or waitlisted to come) with their
reminders.

Timestamps Django would set to "now" (``auto_now_add``) are given their place in the year.
Encrypted fields are encrypted as usual, with the run's own keys (bench/environment.py),
which the web server is given too.
"""

import bisect
import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Team, User
from core.choices import Channel
from core.permissions import Role
from referrals.choices import (
    AbuseExperience,
    AgeRange,
    ClosedReason,
    ContactOutcome,
    Housing,
    Priority,
    SafeNow,
    Source,
    Status,
    Substance,
)
from referrals.models import CaseNote, ContactAttempt, Referral, StatusChange
from referrals.rules.consent import CONSENT_VERSION
from referrals.rules.reference import new_reference_code
from sessions_booking.models import (
    Booking,
    BookingStatus,
    GroupSession,
    Programme,
    Reminder,
    ReminderStatus,
    Venue,
)

TEAMS = 6
KEYWORKERS_PER_TEAM = 10
REFERRALS = 20_000
SESSIONS = 3_000
BOOKINGS = 30_000
DAYS = 365
SESSIONS_FROM_DAYS = -270  # sessions run from nine months ago ...
SESSIONS_TO_DAYS = 95  # ... to three months ahead: a year of groups
CAPACITY = 12
BATCH = 2_000
# Known to the load generator: every staff account has this password and TOTP secret.
PASSWORD = "bench-only-password-2026"  # noqa: S105 - a throwaway database  # nosec B105
TOTP_SECRET = "BENCHBENCHBENCHBENCHBENCHBENCH23"  # noqa: S105 - as above  # nosec B105
SEED = 2026

# fmt: off
NAMES = [
    "Aisha", "Amara", "Beata", "Bogdana", "Chloe", "Donna", "Ewa", "Farzana", "Gemma",
    "Harpreet", "Ioana", "Jodie", "Kasia", "Kelly", "Leanne", "Lisa", "Marta", "Nadia",
    "Rukhsana", "Roxana", "Sharon", "Shirin", "Tasha", "Zainab", "Yasmin", "Sian", "Niamh",
    "Megan", "Laura", "Hannah", "Precious", "Grace", "Mariam", "Agnieszka", "Simran", "Demi",
]
SURNAMES = [
    "Ahmed", "Brown", "Kowalska", "Khan", "Smith", "Popescu", "Begum", "Jones", "Kaur",
    "Wilson", "Evans", "Nowak",
]
# fmt: on
PROGRAMMES = [
    "Women's recovery group",
    "Trauma-informed stabilisation",
    "Mothers in recovery",
    "Drop-in",
    "Relapse prevention",
    "Alcohol: cutting down together",
]
SLOTS = [time(9, 30), time(10, 0), time(11, 0), time(13, 0), time(14, 0), time(18, 0)]
PAST_MARKS = (
    [BookingStatus.ATTENDED] * 65
    + [BookingStatus.LATE] * 8
    + [BookingStatus.DID_NOT_ATTEND] * 15
    + [BookingStatus.CANCELLED_LATE] * 4
    + [BookingStatus.CANCELLED] * 8
)
PATH = [Status.NEW, Status.CONTACTING, Status.ASSESSMENT, Status.ACTIVE]


@dataclass
class Seeded:
    """What the load needs to know about the seeded data (primary keys)."""

    teams: list = field(default_factory=list)
    keyworkers: list = field(default_factory=list)  # User, in team order
    leads: list = field(default_factory=list)
    admin: User | None = None
    open_cases: dict = field(default_factory=dict)  # keyworker pk -> [referral pk]
    programme: Programme | None = None
    venue_without_creche: Venue | None = None
    counts: dict = field(default_factory=dict)


@contextmanager
def own_timestamps(model, *names: str) -> Iterator[None]:
    """Let bulk inserts keep the times we give instead of "now" (auto_now/auto_now_add)."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


# --- Staff -------------------------------------------------------------------------------


def seed_staff(seeded: Seeded) -> None:
    districts = [f"B{n}" for n in range(1, 49)]
    teams = Team.objects.bulk_create(
        Team(
            name=f"Bench team {number + 1}",
            postcode_districts=sorted(d for i, d in enumerate(districts) if i % TEAMS == number),
            local_authorities=[f"Bench borough {number + 1}"],
            is_default=number == 0,
        )
        for number in range(TEAMS)
    )
    password = make_password(PASSWORD)  # once: the same hash for everyone
    staff = []
    for team_number, team in enumerate(teams):
        staff.append((f"lead{team_number + 1}", team, Role.TEAM_LEAD))
        for number in range(KEYWORKERS_PER_TEAM):
            staff.append((f"kw{team_number + 1}-{number + 1}", team, Role.KEYWORKER))
    staff.append(("admin", None, Role.SERVICE_ADMIN))
    users = User.objects.bulk_create(
        User(
            email=f"{handle}@bench.haven.test",
            full_name=f"{NAMES[n % len(NAMES)]} {SURNAMES[n % len(SURNAMES)]} ({handle})",
            team=team,
            password=password,
        )
        for n, (handle, team, _role) in enumerate(staff)
    )
    groups = {role: Group.objects.get_or_create(name=role.group_name)[0] for role in Role}
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=groups[role].pk)
        for user, (_handle, _team, role) in zip(users, staff, strict=True)
    )
    for user in users:
        TOTP.activate(user, TOTP_SECRET)
    seeded.teams = teams
    seeded.keyworkers = [u for u, s in zip(users, staff, strict=True) if s[2] == Role.KEYWORKER]
    seeded.leads = [u for u, s in zip(users, staff, strict=True) if s[2] == Role.TEAM_LEAD]
    seeded.admin = users[-1]


# --- Referrals and their case history ----------------------------------------------------


def status_for_age(days: float, rng: random.Random) -> str:
    if days < 2:
        return Status.NEW
    if days < 14:
        return Status.CONTACTING
    if days < 30:
        return rng.choice([Status.ASSESSMENT, Status.ACTIVE, Status.ACTIVE, Status.CLOSED])
    if days < 90:
        return Status.ACTIVE if rng.random() < 0.45 else Status.CLOSED
    return Status.ACTIVE if rng.random() < 0.02 else Status.CLOSED


def closed_after(created_at: datetime, days: float, rng: random.Random) -> datetime:
    return created_at + timedelta(days=min(days - 1, rng.uniform(10, 90)))


def new_referral(number: int, reference: str, now: datetime, seeded: Seeded, rng) -> Referral:
    days = DAYS * (number + 0.5) / REFERRALS
    created_at = now - timedelta(days=days)
    team_number = number % TEAMS
    team = seeded.teams[team_number]
    status = status_for_age(days, rng)
    keyworker = None
    if status != Status.NEW:
        keyworker = seeded.keyworkers[
            team_number * KEYWORKERS_PER_TEAM + (number // TEAMS) % KEYWORKERS_PER_TEAM
        ]
    name = NAMES[number % len(NAMES)]
    professional = number % 5 == 0
    children = rng.choice([0, 0, 0, 1, 2, 3])
    closed = status == Status.CLOSED
    today = timezone.localdate(now)
    next_contact = None
    if keyworker and not closed and rng.random() < 0.6:
        next_contact = today + timedelta(days=rng.randint(-5, 14))
    priority = rng.choices(
        [Priority.ROUTINE, Priority.URGENT, Priority.SAFEGUARDING], weights=[75, 18, 7]
    )[0]
    referral = Referral(
        reference=reference,
        source=Source.PROFESSIONAL if professional else Source.SELF,
        team=team,
        area_postcode_district=team.postcode_districts[number % len(team.postcode_districts)],
        priority=priority,
        priority_reasons=["Bench: seeded"] if priority != Priority.ROUTINE else [],
        status=status,
        assigned_to=keyworker,
        assigned_at=created_at + timedelta(days=1) if keyworker else None,
        closed_reason=rng.choice(ClosedReason.values) if closed else "",
        closed_at=closed_after(created_at, days, rng) if closed else None,
        next_contact_on=next_contact,
        preferred_name=name,
        full_name=f"{name} {SURNAMES[number % len(SURNAMES)]}",
        age_range=rng.choice(AgeRange.values[1:]),
        safe_channels=rng.choice([[Channel.SMS], [Channel.CALL, Channel.SMS], [Channel.EMAIL]]),
        phone=f"+447700900{number % 1000:03d}",  # Ofcom's drama numbers
        email=f"{name.lower()}{number}@example.org",
        safe_days=rng.choice([[], [0, 1, 2, 3, 4], [1, 3]]),
        safe_from=time(9, 0) if number % 3 == 0 else None,
        safe_until=time(17, 0) if number % 3 == 0 else None,
        if_someone_else_answers="Say it's the dentist and you'll call back.",
        substances=rng.sample(Substance.values[:-1], k=rng.randint(1, 3)),
        children_count=children,
        children_ages=sorted(rng.randint(1, 16) for _ in range(children)),
        needs_childcare=children > 0 and rng.random() < 0.5,
        pregnant=rng.choice(["", "no", "no", "yes"]),
        abuse_experience=rng.choice(AbuseExperience.values),
        safe_now=rng.choices(SafeNow.values, weights=[90, 4, 6])[0],
        housing=rng.choice(Housing.values),
        group_interests=rng.sample(["recovery", "trauma", "mothers", "drop_in"], k=2),
        consent_to_store=True,
        consent_to_contact=True,
        consent_to_share=number % 2 == 0,
        consent_version=CONSENT_VERSION,
        consent_given_at=created_at,
        team_notified_at=created_at,
        created_at=created_at,
        updated_at=created_at,
    )
    if professional:
        referral.referrer_name = "Dr Helen Price"
        referral.referrer_organisation = "Moseley Road Surgery"
        referral.referrer_role = "GP"
        referral.referrer_confirmed_consent = True
    return referral


def unique_references(count: int) -> list[str]:
    references: set[str] = set()
    while len(references) < count:
        references.add(new_reference_code())
    return sorted(references)


def seed_referrals(seeded: Seeded, now: datetime, rng: random.Random) -> list[Referral]:
    references = unique_references(REFERRALS)
    rng.shuffle(references)
    with own_timestamps(Referral, "created_at", "updated_at"):
        return Referral.objects.bulk_create(
            (
                new_referral(number, reference, now, seeded, rng)
                for number, reference in enumerate(references)
            ),
            batch_size=BATCH,
        )


def case_history(referral: Referral, now: datetime, rng: random.Random):
    """Status changes along the workflow, one to three contact attempts and a note."""
    keyworker = referral.assigned_to
    at = referral.assigned_at
    steps = PATH[: PATH.index(referral.status) + 1] if referral.status in PATH else PATH
    changes = []
    for source, target in itertools.pairwise(steps):
        changes.append(
            StatusChange(
                referral=referral,
                from_status=source,
                to_status=target,
                changed_by=keyworker,
                changed_at=at,
            )
        )
        at = min(at + timedelta(days=rng.uniform(1, 6)), now)
    if referral.status == Status.CLOSED:
        changes.append(
            StatusChange(
                referral=referral,
                from_status=steps[-1],
                to_status=Status.CLOSED,
                changed_by=keyworker,
                changed_at=referral.closed_at,
                closed_reason=referral.closed_reason,
            )
        )
    attempts = [
        ContactAttempt(
            referral=referral,
            made_by=keyworker,
            made_at=min(referral.assigned_at + timedelta(days=n * 2 + rng.random()), now),
            channel=referral.safe_channels[0],
            outcome=ContactOutcome.SPOKE
            if n == 0 and referral.status != Status.CONTACTING
            else rng.choice([ContactOutcome.NO_ANSWER, ContactOutcome.LEFT_VOICEMAIL]),
            note="Talked through what would help." if n == 0 else "",
        )
        for n in range(rng.randint(1, 3))
    ]
    notes = []
    if referral.status != Status.CONTACTING:
        notes.append(
            CaseNote(
                referral=referral,
                author=keyworker,
                created_at=min(referral.assigned_at + timedelta(days=3), now),
                text="Would like the mothers' group; needs the crèche on Tuesdays.",
                restricted=rng.random() < 0.05,
            )
        )
    return changes, attempts, notes


def seed_case_histories(referrals, now: datetime, rng: random.Random) -> dict:
    changes, attempts, notes = [], [], []
    for referral in referrals:
        if referral.assigned_to is None:
            continue
        c, a, n = case_history(referral, now, rng)
        changes += c
        attempts += a
        notes += n
    StatusChange.objects.bulk_create(changes, batch_size=BATCH)
    ContactAttempt.objects.bulk_create(attempts, batch_size=BATCH)
    CaseNote.objects.bulk_create(notes, batch_size=BATCH)
    return {"status_changes": len(changes), "contact_attempts": len(attempts), "notes": len(notes)}


# --- Groups, bookings and reminders ------------------------------------------------------


def seed_sessions(seeded: Seeded, now: datetime, rng: random.Random) -> list[GroupSession]:
    venues = Venue.objects.bulk_create(
        Venue(
            name=f"Bench venue {number + 1}",
            address=f"{number + 1} High Street\nBirmingham B{number + 1} 1AA",
            women_only_building=number % 2 == 0,
            creche_on_site=number % 3 != 2,
            step_free=True,
        )
        for number in range(6)
    )
    programmes = Programme.objects.bulk_create(
        Programme(name=name, description="A group for women in recovery.") for name in PROGRAMMES
    )
    today = timezone.localdate(now)
    span = SESSIONS_TO_DAYS - SESSIONS_FROM_DAYS
    sessions = []
    for number in range(SESSIONS):
        day = today + timedelta(days=SESSIONS_FROM_DAYS + span * number // SESSIONS)
        venue = venues[number % len(venues)]
        starts_at = local(day, SLOTS[number % len(SLOTS)])
        sessions.append(
            GroupSession(
                programme=programmes[number % len(programmes)],
                venue=venue,
                facilitator=rng.choice(seeded.keyworkers),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                booking_cutoff=starts_at - timedelta(hours=2),
                capacity=CAPACITY,
                creche_places=4 if venue.creche_on_site else 0,
                cancelled_at=starts_at - timedelta(days=3) if number % 97 == 0 else None,
            )
        )
    seeded.programme = programmes[0]
    seeded.venue_without_creche = next(v for v in venues if not v.creche_on_site)
    return GroupSession.objects.bulk_create(sessions, batch_size=BATCH)


def bookings_per_session(rng: random.Random) -> list[int]:
    """Between 4 and 16 women each (over 12: a waiting list), BOOKINGS in all."""
    counts = [rng.randint(4, 16) for _ in range(SESSIONS)]
    while (difference := BOOKINGS - sum(counts)) != 0:
        number = rng.randrange(SESSIONS)
        step = 1 if difference > 0 else -1
        if 4 <= counts[number] + step <= 16:
            counts[number] += step
    return counts


def seed_bookings(sessions, referrals, now: datetime, rng: random.Random):
    """Each session's women are drawn from cases open at the time (received in the three
    months before); future sessions only from cases still open."""
    worked = sorted(
        (r for r in referrals if r.assigned_to_id is not None), key=lambda r: r.created_at
    )
    received = [r.created_at for r in worked]
    still_open = [r for r in worked if r.status != Status.CLOSED]
    bookings = []
    for session, count in zip(sessions, bookings_per_session(rng), strict=True):
        if session.starts_at > now:
            pool = still_open
        else:
            first = bisect.bisect_left(received, session.starts_at - timedelta(days=90))
            last = bisect.bisect_left(received, session.starts_at - timedelta(days=3))
            pool = worked[first:last] if last - first >= count else worked[:count]
        for place, referral in enumerate(rng.sample(pool, count)):
            if session.starts_at <= now:
                status = rng.choice(PAST_MARKS)
            elif session.cancelled_at:
                status = BookingStatus.CANCELLED
            else:
                status = BookingStatus.CONFIRMED if place < CAPACITY else BookingStatus.WAITLISTED
            created_at = session.starts_at - timedelta(days=rng.uniform(2, 20))
            bookings.append(
                Booking(
                    session=session,
                    referral=referral,
                    status=status,
                    booked_by_id=referral.assigned_to_id,
                    created_at=min(created_at, now),
                    updated_at=min(created_at, now),
                )
            )
    with own_timestamps(Booking, "created_at", "updated_at"):
        return Booking.objects.bulk_create(bookings, batch_size=BATCH)


def seed_reminders(bookings, now: datetime, rng: random.Random) -> int:
    """48 and 2 hours before (the default offsets): sent for sessions past, scheduled (or
    on her keyworker's call list, for 5%) for sessions to come."""
    reminders = []
    for booking in bookings:
        session = booking.session
        if booking.status in (BookingStatus.CANCELLED, BookingStatus.WAITLISTED):
            continue
        needs_call = rng.random() < 0.05
        for offset in (48, 2):
            due = session.starts_at - timedelta(hours=offset)
            if due <= now:
                status, sent_at = ReminderStatus.SENT, due
            else:
                status = ReminderStatus.NEEDS_CALL if needs_call else ReminderStatus.SCHEDULED
                sent_at = None
            reminders.append(
                Reminder(
                    booking=booking,
                    offset_hours=offset,
                    channel="" if status == ReminderStatus.NEEDS_CALL else Channel.SMS,
                    due_at=due,
                    send_at=None if status == ReminderStatus.NEEDS_CALL else due,
                    status=status,
                    sent_at=sent_at,
                    provider_reference="bench" if sent_at else "",
                )
            )
    Reminder.objects.bulk_create(reminders, batch_size=BATCH)
    return len(reminders)


def seed() -> Seeded:
    rng = random.Random(SEED)  # noqa: S311 - made-up data, not a secret  # nosec B311
    now = timezone.now()
    seeded = Seeded()
    seed_staff(seeded)
    referrals = seed_referrals(seeded, now, rng)
    history = seed_case_histories(referrals, now, rng)
    sessions = seed_sessions(seeded, now, rng)
    bookings = seed_bookings(sessions, referrals, now, rng)
    reminders = seed_reminders(bookings, now, rng)
    for referral in referrals:
        if referral.assigned_to_id and referral.status != Status.CLOSED:
            seeded.open_cases.setdefault(referral.assigned_to_id, []).append(referral.pk)
    seeded.counts = {
        "teams": len(seeded.teams),
        "keyworkers": len(seeded.keyworkers),
        "team_leads": len(seeded.leads),
        "service_admins": 1,
        "referrals": len(referrals),
        "open_cases": sum(map(len, seeded.open_cases.values())),
        "referrals:team_queue": sum(1 for r in referrals if r.assigned_to_id is None),
        **history,
        "sessions": len(sessions),
        "bookings": len(bookings),
        "reminders": reminders,
    }
    return seeded
