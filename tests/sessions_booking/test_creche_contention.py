"""Many keyworkers booking mothers of children of mixed ages into the last crèche room at
once, on real PostgreSQL: the session's row lock keeps the EYFS ratios and the room limit."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from referrals.models import Referral
from sessions_booking.models import BookedChild, Booking, BookingStatus
from sessions_booking.rules.creche import Children, workers_needed
from sessions_booking.services.booking import Child, book_client
from tests.support.factories import GroupSessionFactory, ReferralFactory

# Forty mothers: a baby; a two-year-old; a baby and a four-year-old; no children.
FAMILIES = [[1], [2], [0, 4], []]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keyworkers_booking_mixed_ages_at_once_never_break_the_ratios(keyworker):
    session = GroupSessionFactory(capacity=30, creche_places=12, creche_workers=3)
    women = [
        ReferralFactory(team=keyworker.team, assigned_to=keyworker, preferred_name=f"W{i}")
        for i in range(40)
    ]
    families = [FAMILIES[i % len(FAMILIES)] for i in range(40)]
    start = threading.Barrier(40)
    errors = []

    def attempt(referral, ages):
        try:
            start.wait()
            book_client(
                actor=keyworker,
                referral=referral,
                session=session,
                children=[Child(age_in_years=age) for age in ages],
            )
        except Exception as error:  # any error at all fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=pair) for pair in zip(women, families, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    bookings = Booking.objects.filter(session=session)
    assert bookings.count() == 40
    confirmed = bookings.filter(status=BookingStatus.CONFIRMED)
    held = confirmed.aggregate(
        under_2=Sum("creche_under_2"), aged_2=Sum("creche_aged_2"), three_plus=Sum("creche_3_plus")
    )
    children = Children(held["under_2"] or 0, held["aged_2"] or 0, held["three_plus"] or 0)
    assert children.total <= 12
    assert workers_needed(children) <= 3
    # The crèche filled as far as the ratios allow: 3 workers, all of them needed.
    assert workers_needed(children) == 3
    # Every mother without children got a seat; nobody was overbooked.
    assert confirmed.count() <= 30
    assert confirmed.filter(children_in_creche=0).count() == 10
    assert BookedChild.objects.filter(booking__session=session).count() == 10 + 10 + 20
    assert Referral.objects.count() == 40
