"""Demo venues, programmes, weekly groups and bookings for `manage.py seed_demo`."""

from datetime import time, timedelta

from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from referrals.models import Referral
from sessions_booking.booking import book_client, update_missed_in_a_row
from sessions_booking.models import Booking, BookingStatus, GroupSession, Programme, Venue
from sessions_booking.scheduling import create_weekly_series

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


def as_request(user):
    request = RequestFactory().post("/demo-seed")
    request.user = user
    return request


def seed(stdout):
    if Venue.objects.filter(name=VENUES[0]["name"]).exists():
        stdout.write("  groups: already seeded")
        return
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
            request=as_request(booker),
            referral=referral,
            session=first,
            children_in_creche=children,
            children_ages=referral.children_ages[:children],
        )
    # Two past sessions with a register: one woman missed both, and is flagged.
    missed = women.filter(assigned_to__isnull=False).first()
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
        for other in women.exclude(pk=missed.pk)[:5]:
            Booking.objects.create(
                session=past, referral=other, status=BookingStatus.ATTENDED, booked_by=facilitator
            )
    update_missed_in_a_row(missed)
