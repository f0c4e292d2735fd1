"""Migration sessions_booking/0007 keeps every crèche as it was: its places become the room
limit, with enough workers for a room full of babies, and each booked child is kept (by age
band for the ratios; one booked without an age counts as under 2)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sessions_booking.models import BookedChild, Booking, GroupSession
from tests.support.factories import ReferralFactory, UserFactory

BEFORE_RATIOS = [("sessions_booking", "0006_booking_promoted_at")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_places_become_the_room_limit_and_no_booked_child_stops_fitting():
    referral, keyworker = ReferralFactory(), UserFactory()
    starts = timezone.now() + timedelta(days=7)
    try:
        old = migrate(BEFORE_RATIOS)
        venue = old.get_model("sessions_booking", "Venue").objects.create(
            name="Old Venue", address="1 Old Road", creche_on_site=True
        )
        programme = old.get_model("sessions_booking", "Programme").objects.create(
            name="Old Programme", description="A group."
        )
        OldSession = old.get_model("sessions_booking", "GroupSession")
        fields = {"programme": programme, "venue": venue, "starts_at": starts,
                  "ends_at": starts + timedelta(hours=2),
                  "booking_cutoff": starts - timedelta(hours=2), "capacity": 12}  # fmt: skip
        with_creche = OldSession.objects.create(creche_places=7, **fields)
        without = OldSession.objects.create(creche_places=0, **fields)
        old_booking = old.get_model("sessions_booking", "Booking").objects.create(
            session=with_creche, referral_id=referral.pk, status="confirmed",
            children_in_creche=3, children_ages=[1, 4], booked_by_id=keyworker.pk,
        )  # fmt: skip
    finally:
        migrate(latest())

    assert GroupSession.objects.get(pk=with_creche.pk).creche_places == 7
    assert GroupSession.objects.get(pk=with_creche.pk).creche_workers == 3  # ceil(7 / 3)
    assert GroupSession.objects.get(pk=without.pk).creche_workers == 0
    booking = Booking.objects.get(pk=old_booking.pk)
    assert (booking.creche_under_2, booking.creche_aged_2, booking.creche_3_plus) == (2, 0, 1)
    children = BookedChild.objects.filter(booking=booking).order_by("pk")
    assert [child.age_in_years for child in children] == [1, 4, None]
    assert booking.session.interpreter_requests.count() == 0
    assert booking.session.language == "en"
