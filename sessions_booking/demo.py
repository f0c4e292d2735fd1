"""Demo venues, programmes, weekly groups and bookings for `manage.py seed_demo`."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from referrals.models import Referral
from sessions_booking.demo_history import seed_history
from sessions_booking.models import Booking, BookingStatus, GroupSession, Programme, Venue
from sessions_booking.services.booking import (
    Child,
    book_client,
    update_missed_in_a_row,
)
from sessions_booking.services.interpreters import request_interpreter
from sessions_booking.services.scheduling import create_weekly_series

VENUES = [
    {
        "name": "Moseley Women's Centre",
        "address": "14 Alcester Road\nBirmingham B13 8AA",
        "women_only_building": True,
        "creche_on_site": True,
        "step_free": True,
        "separate_entrance": True,
        "staff_on_site": True,
        "no_shared_waiting_room": True,
        "safety_notes": "Side entrance on Church Road. Staff meet women at the door.",
    },
    {
        "name": "Hanley Community Hub",
        "address": "3 Town Road\nStoke-on-Trent ST1 2QB",
        "women_only_building": False,
        "creche_on_site": False,
        "step_free": True,
        "separate_entrance": True,
        "staff_on_site": True,
        "no_shared_waiting_room": True,
        "safety_notes": "Women-only room on the first floor; lift available.",
    },
]
PROGRAMMES = [
    (
        "Women's recovery group",
        "A weekly group for women in recovery: support, skills and company.",
        False,
        12,
        4,
    ),
    (
        "Trauma-informed stabilisation",
        "A gentle, closed group for women who have lived through trauma.",
        True,
        8,
        0,
    ),
    (
        "Mothers in recovery",
        "For mothers and mums-to-be. Bring your children: there is a crèche.",
        False,
        10,
        6,
    ),
    ("Drop-in", "Come along for a cup of tea and a chat. No booking needed.", False, 20, 0),
]


def next_weekday(weekday: int):
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def seed(stdout):
    if Venue.objects.filter(name=VENUES[0]["name"]).exists():
        stdout.write("  groups: already seeded")
    else:
        seed_groups(stdout)
    seed_reminders(stdout)
    seed_languages_and_creche(stdout)
    seed_history(stdout)


def seed_groups(stdout):
    moseley, hanley = (Venue.objects.create(**venue) for venue in VENUES)
    programmes = {}
    for name, description, trauma, capacity, creche in PROGRAMMES:
        programmes[name] = Programme.objects.create(
            name=name,
            description=description,
            trauma_informed=trauma,
            default_capacity=capacity,
            default_creche_places=creche,
        )
    amara = User.objects.get(email="amara@haven.example")
    chloe = User.objects.get(email="chloe@haven.example")
    programmes["Women's recovery group"].facilitators.add(amara)
    recovery = create_weekly_series(
        programme=programmes["Women's recovery group"],
        venue=moseley,
        facilitator=amara,
        first_date=next_weekday(1),
        start_time=time(10),
        duration_minutes=120,
        weeks=8,
        skip_dates=[next_weekday(1) + timedelta(weeks=3)],
        capacity=12,
        creche_places=4,
        booking_cutoff_hours=2,
    )
    create_weekly_series(
        programme=programmes["Mothers in recovery"],
        venue=moseley,
        facilitator=amara,
        first_date=next_weekday(3),
        start_time=time(13),
        duration_minutes=90,
        weeks=6,
        skip_dates=[],
        capacity=10,
        creche_places=6,
        booking_cutoff_hours=4,
    )
    create_weekly_series(
        programme=programmes["Trauma-informed stabilisation"],
        venue=hanley,
        facilitator=chloe,
        first_date=next_weekday(2),
        start_time=time(18),
        duration_minutes=90,
        weeks=6,
        skip_dates=[],
        capacity=8,
        creche_places=0,
        booking_cutoff_hours=24,
    )
    seed_bookings(recovery, amara)
    stdout.write("  groups: 2 venues, 4 programmes, 3 weekly series, bookings and a register")


def seed_bookings(series, facilitator):
    first = series.sessions.order_by("starts_at").first()
    women = Referral.objects.filter(team__name="Birmingham and Solihull").exclude(status="closed")
    for referral in women.select_related("assigned_to")[:14]:
        booker = referral.assigned_to or facilitator
        children = min(len(referral.children_ages), 2) if referral.needs_childcare else 0
        book_client(
            actor=booker,
            referral=referral,
            session=first,
            children_in_creche=children,
            children_ages=referral.children_ages[:children],
        )
    # Two past sessions with a register: one woman missed both, and is flagged. Only women
    # referred before the sessions were in them.
    before_both = timezone.now() - timedelta(weeks=2, days=1)
    missed = women.filter(assigned_to__isnull=False, created_at__lt=before_both).first()
    for weeks_ago, mark in ((2, BookingStatus.DID_NOT_ATTEND), (1, BookingStatus.DID_NOT_ATTEND)):
        start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(
            weeks=weeks_ago
        )
        past = GroupSession.objects.create(
            programme=series.programme,
            venue=series.venue,
            facilitator=facilitator,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            booking_cutoff=start - timedelta(hours=2),
            capacity=12,
            creche_places=4,
        )
        Booking.objects.create(session=past, referral=missed, status=mark, booked_by=facilitator)
        for other in women.exclude(pk=missed.pk).filter(created_at__lt=start)[:5]:
            Booking.objects.create(
                session=past, referral=other, status=BookingStatus.ATTENDED, booked_by=facilitator
            )
    update_missed_in_a_row(missed)


# --- Reminders (shown every run: the link printed is new each time) -------------------------
DEMO_DROP_IN = "Drop-in"


def _demo_woman(name, **rules):
    referral = Referral.objects.filter(preferred_name=name).order_by("pk").first()
    Referral.objects.filter(pk=referral.pk).update(**rules)
    referral.refresh_from_db()
    return referral


def _single_session(*, venue_name, starts_at, capacity):
    session, _created = GroupSession.objects.get_or_create(
        programme=Programme.objects.get(name=DEMO_DROP_IN),
        venue=Venue.objects.get(name=venue_name),
        starts_at=starts_at,
        defaults={
            "ends_at": starts_at + timedelta(hours=1),
            "booking_cutoff": starts_at - timedelta(minutes=30),
            "capacity": capacity,
            "creche_places": 0,
        },
    )
    return session


def _booked(referral, session):
    booking = session.bookings.filter(referral=referral).exclude(status="cancelled").first()
    return booking or book_client(actor=referral.assigned_to, referral=referral, session=session)


def _when(moment):
    return timezone.localtime(moment).strftime("%a %d %b %H:%M") if moment else "not scheduled"


def seed_reminders(stdout):
    """Lisa allows SMS on weekdays 10:00-16:00 only: her reminders are moved into those
    hours, and her cancel link gives her place (the drop-in has one) to Bogdana, who is
    waiting. Marta allows SMS at any time and reads Polish: her 2-hour reminder is due a
    few minutes after seeding, so the worker's console shows it."""
    from sessions_booking.services.links import issue_link

    lisa = _demo_woman(
        "Lisa",
        safe_channels=["sms"],
        safe_days=[0, 1, 2, 3, 4],
        safe_from=time(10),
        safe_until=time(16),
        may_name_service=False,
    )
    bogdana = _demo_woman(
        "Bogdana", safe_channels=["sms"], safe_days=[], safe_from=None, safe_until=None
    )
    start = timezone.make_aware(datetime.combine(next_weekday(1) + timedelta(weeks=1), time(10)))
    drop_in = _single_session(venue_name="Hanley Community Hub", starts_at=start, capacity=1)
    lisas = _booked(lisa, drop_in)
    _booked(bogdana, drop_in)
    times = ", ".join(
        f"{r.offset_hours}h before at {_when(r.send_at)}" for r in lisas.reminders.all()
    )
    stdout.write(
        f"  reminders: Lisa (SMS on weekdays 10:00-16:00) has the one place at the "
        f"drop-in on {_when(start)}; Bogdana is waiting. Lisa's reminders: {times}."
    )
    if lisas.status == BookingStatus.CONFIRMED:
        stdout.write(
            f"  Lisa's confirm/cancel link: {issue_link(lisas)} "
            "(cancel there and Bogdana gets the place)"
        )
    marta = _demo_woman(
        "Marta",
        safe_channels=["sms"],
        safe_days=[],
        safe_from=None,
        safe_until=None,
        may_name_service=False,
    )
    soon = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=2, minutes=4)
    upcoming = marta.bookings.filter(
        session__programme__name=DEMO_DROP_IN,
        session__starts_at__gt=timezone.now(),
        status="confirmed",
    ).first()
    if upcoming is None:
        upcoming = _booked(
            marta, _single_session(venue_name="Moseley Women's Centre", starts_at=soon, capacity=10)
        )
    due = [r.send_at for r in upcoming.reminders.all() if r.status == "scheduled"]
    if due:
        stdout.write(
            f"  Marta (Polish, SMS at any time): a reminder goes at {_when(min(due))}; "
            "watch the worker's console."
        )


# --- Languages, interpreters and crèche ratios ------------------------------------------------
URDU_GROUP = "Urdu-speaking women's group"


def seed_languages_and_creche(stdout):
    """A group delivered in Urdu; a Polish interpreter requested for the recovery group; and
    the mothers' group's crèche full for babies but not for older children."""
    if Programme.objects.filter(name=URDU_GROUP).exists():
        stdout.write("  languages and crèche: already seeded")
        return
    moseley = Venue.objects.get(name=VENUES[0]["name"])
    amara = User.objects.get(email="amara@haven.example")
    admin = User.objects.get(email="admin@haven.example")
    urdu = Programme.objects.create(
        name=URDU_GROUP,
        description="A weekly recovery group for women, held in Urdu.",
        language="ur",
        default_capacity=10,
        default_creche_places=6,
    )
    create_weekly_series(
        programme=urdu,
        venue=moseley,
        facilitator=amara,
        first_date=next_weekday(4),
        start_time=time(11),
        duration_minutes=90,
        weeks=6,
        skip_dates=[],
        capacity=10,
        creche_places=6,
        creche_workers=2,
        booking_cutoff_hours=4,
    )
    recovery = (
        GroupSession.objects.filter(
            programme__name="Women's recovery group", starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    request_interpreter(actor=admin, session=recovery, language="pl")
    # Mothers in recovery: two crèche workers, a room for 6. Three babies take one worker;
    # two older children leave the other room for one more child aged 3 or over, not a baby.
    mothers = (
        GroupSession.objects.filter(
            programme__name="Mothers in recovery", starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    GroupSession.objects.filter(pk=mothers.pk).update(creche_workers=2)
    families = [[0, 1], [1], [4, 6]]
    women = (
        Referral.objects.filter(team__name="Birmingham and Solihull")
        .exclude(status="closed")
        .exclude(bookings__session=mothers)
    )
    for referral, ages in zip(women.select_related("assigned_to"), families, strict=False):
        book_client(
            actor=referral.assigned_to or amara,
            referral=referral,
            session=mothers,
            children=[Child(age_in_years=age) for age in ages],
        )
    stdout.write(
        f"  languages and crèche: the {URDU_GROUP} (in Urdu); a Polish interpreter requested "
        f"for the recovery group on {_when(recovery.starts_at)}; the mothers' group on "
        f"{_when(mothers.starts_at)} has crèche room for one more child aged 3 or over, "
        "not a baby"
    )
