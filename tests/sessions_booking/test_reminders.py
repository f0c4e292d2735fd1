"""Reminders: scheduled into her safe times, moved and cancelled with the booking, and
sent exactly once by the sweep."""

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from core.messaging.delivery import PermanentFailure, TemporaryFailure
from sessions_booking.models import Reminder, ReminderStatus
from sessions_booking.services.booking import book_client, cancel_booking
from sessions_booking.services.reminders import claim_due_reminders, deliver
from sessions_booking.tasks import send_due_reminders
from tests.support.factories import GroupSessionFactory, ReferralFactory

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def next_tuesday_at_10():
    today = timezone.localdate()
    day = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    # At least a week ahead, so the Friday before it (where a weekend reminder moves to)
    # is still in the future whatever day the tests run.
    if day - today < timedelta(days=7):
        day += timedelta(weeks=1)
    return datetime.combine(day, time(10), tzinfo=LONDON)


def session_at(start, **kwargs):
    return GroupSessionFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        booking_cutoff=start - timedelta(hours=1),
        **kwargs,
    )


def sms_weekdays_10_to_16(keyworker, **kwargs):
    return ReferralFactory(
        team=keyworker.team, assigned_to=keyworker, safe_channels=["sms"], phone="+447911123456",
        safe_days=[0, 1, 2, 3, 4], safe_from=time(10), safe_until=time(16), **kwargs,
    )  # fmt: skip


def test_reminders_are_scheduled_within_her_safe_times(keyworker):
    start = next_tuesday_at_10()
    booking = book_client(
        actor=keyworker, referral=sms_weekdays_10_to_16(keyworker), session=session_at(start)
    )
    reminders = {r.offset_hours: r for r in booking.reminders.all()}
    assert set(reminders) == {48, 2}
    # 48 hours before: Sunday 10:00 is not safe -> Friday 15:59.
    assert timezone.localtime(reminders[48].send_at) == start - timedelta(days=4) + timedelta(
        hours=5, minutes=59
    )
    # 2 hours before: Tuesday 08:00 is before her hours -> Monday 15:59.
    assert timezone.localtime(reminders[2].send_at) == start - timedelta(days=1) + timedelta(
        hours=5, minutes=59
    )
    assert {r.channel for r in reminders.values()} == {"sms"}
    assert {r.status for r in reminders.values()} == {ReminderStatus.SCHEDULED}


def test_without_a_safe_automated_channel_her_keyworker_calls_instead(keyworker):
    referral = ReferralFactory(team=keyworker.team, assigned_to=keyworker, safe_channels=["call"])
    booking = book_client(
        actor=keyworker, referral=referral, session=session_at(next_tuesday_at_10())
    )
    assert {(r.status, r.send_at) for r in booking.reminders.all()} == {
        (ReminderStatus.NEEDS_CALL, None)
    }


def test_waitlisted_women_get_reminders_only_once_promoted(keyworker):
    session = session_at(next_tuesday_at_10(), capacity=1, creche_places=0)
    first = book_client(actor=keyworker, referral=sms_weekdays_10_to_16(keyworker), session=session)
    waiting = book_client(
        actor=keyworker, referral=sms_weekdays_10_to_16(keyworker), session=session
    )
    assert not waiting.reminders.exists()
    cancel_booking(actor=keyworker, booking=first)
    assert set(first.reminders.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}
    assert set(waiting.reminders.values_list("status", flat=True)) == {ReminderStatus.SCHEDULED}


def test_reminders_move_when_the_session_moves(keyworker):
    from sessions_booking.services.scheduling import update_session

    start = next_tuesday_at_10()
    session = session_at(start)
    booking = book_client(
        actor=keyworker, referral=sms_weekdays_10_to_16(keyworker), session=session
    )
    later = start + timedelta(days=1, hours=4)  # Wednesday 14:00
    update_session(
        session=session, venue=session.venue, facilitator=None, starts_at=later,
        ends_at=later + timedelta(hours=2), capacity=12, creche_places=4, booking_cutoff_hours=1,
    )  # fmt: skip
    two_hours = booking.reminders.get(offset_hours=2)
    assert timezone.localtime(two_hours.send_at) == later - timedelta(hours=2)  # 12:00 is safe


def make_due(booking):
    Reminder.objects.filter(booking=booking).update(send_at=timezone.now() - timedelta(minutes=1))


def test_the_sweep_sends_each_due_reminder_once_and_discreetly(keyworker, caplog):
    booking = book_client(
        actor=keyworker,
        referral=sms_weekdays_10_to_16(keyworker),
        session=session_at(next_tuesday_at_10()),
    )
    make_due(booking)
    # Her rules say weekdays 10-16; the send itself is re-checked, so allow "now" for the test.
    type(booking.referral).objects.filter(pk=booking.referral_id).update(
        safe_days=[], safe_from=None, safe_until=None
    )
    with caplog.at_level("INFO", logger="haven.messages"):
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0
    messages = [record.getMessage() for record in caplog.records if "SMS to" in record.getMessage()]
    assert len(messages) == 2
    for text in messages:
        assert "Reminder:" in text
        for word in ("haven", "drug", "alcohol", "treatment", "recovery", "group"):
            assert word not in text.lower().split("]: ")[1]
    assert set(booking.reminders.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert all(r.provider_reference.startswith("console-") for r in booking.reminders.all())


def test_a_reminder_is_not_sent_if_her_rules_no_longer_allow_it(keyworker):
    booking = book_client(
        actor=keyworker,
        referral=sms_weekdays_10_to_16(keyworker),
        session=session_at(next_tuesday_at_10()),
    )
    make_due(booking)
    type(booking.referral).objects.filter(pk=booking.referral_id).update(safe_channels=[])
    assert send_due_reminders() == 0
    assert set(booking.reminders.values_list("status", flat=True)) == {ReminderStatus.NEEDS_CALL}


def booked_and_safe_now(keyworker):
    """A booking whose woman may be texted at any time, so "now" is safe."""
    booking = book_client(
        actor=keyworker,
        referral=sms_weekdays_10_to_16(keyworker),
        session=session_at(next_tuesday_at_10()),
    )
    type(booking.referral).objects.filter(pk=booking.referral_id).update(
        safe_days=[], safe_from=None, safe_until=None
    )
    return booking


def test_provider_errors_back_off_then_fail_visibly(keyworker, monkeypatch):
    booking = booked_and_safe_now(keyworker)

    class Broken:
        def send(self, message):
            raise TemporaryFailure("provider unavailable")

    monkeypatch.setattr("sessions_booking.services.reminders.backend_for", lambda channel: Broken())
    before = timezone.now()
    for attempt in range(1, 6):
        make_due(booking)
        send_due_reminders()
        reminder = booking.reminders.get(offset_hours=2)
        assert reminder.attempts == attempt
        if attempt < 5:
            assert reminder.status == ReminderStatus.SCHEDULED
            # Exponential backoff: 2, 4, 8, 16 minutes.
            assert reminder.send_at >= before + timedelta(minutes=2**attempt)
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.last_error == "provider unavailable"


def test_a_permanent_provider_refusal_fails_at_once(keyworker, monkeypatch):
    booking = booked_and_safe_now(keyworker)

    class Refusing:
        def send(self, message):
            raise PermanentFailure("Notify 400: phone number is not valid")

    monkeypatch.setattr(
        "sessions_booking.services.reminders.backend_for", lambda channel: Refusing()
    )
    make_due(booking)
    send_due_reminders()
    statuses = set(booking.reminders.values_list("status", "attempts"))
    assert statuses == {(ReminderStatus.FAILED, 1)}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_never_claim_the_same_reminder(keyworker):
    request = keyworker
    for _ in range(30):
        referral = ReferralFactory(
            team=keyworker.team, assigned_to=keyworker, safe_channels=["sms"], phone="+447911123456"
        )
        book_client(
            actor=request,
            referral=referral,
            session=session_at(next_tuesday_at_10(), capacity=40),
        )
    Reminder.objects.update(send_at=timezone.now() - timedelta(minutes=1))
    claims, start = [], threading.Barrier(2)

    def sweep():
        start.wait()
        claims.append(claim_due_reminders(limit=1000))
        connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    first, second = claims
    assert not set(first) & set(second)
    assert len(first) + len(second) == 60
    sent = sum(deliver(pk) for pk in first + second)
    assert sent == 60
    assert sum(deliver(pk) for pk in first + second) == 0  # already sent: never again


def test_staff_see_reminder_states_and_the_calls_they_must_make(client, keyworker):
    from django.urls import reverse

    from tests.support.factories import enable_mfa

    enable_mfa(keyworker)
    client.force_login(keyworker)
    texted = sms_weekdays_10_to_16(keyworker, preferred_name="Texted")
    call_only = ReferralFactory(
        team=keyworker.team,
        assigned_to=keyworker,
        safe_channels=["call"],
        preferred_name="CallOnly",
    )
    session = session_at(next_tuesday_at_10())
    book_client(actor=keyworker, referral=texted, session=session)
    book_client(actor=keyworker, referral=call_only, session=session)
    page = client.get(reverse("sessions_booking:book_sessions", args=[texted.pk])).content.decode()
    assert "<td>48 hours before</td>" in page
    assert "<strong>Scheduled</strong>" in page
    assert "<td>Text message (SMS)</td>" in page
    home = client.get(reverse("home:staff_home")).content.decode()
    calls = home.split('id="calls-heading"')[1].split("</section>")[0]
    assert "CallOnly" in calls
    assert "Texted" not in calls


def test_two_reminders_moved_to_the_same_moment_become_one(keyworker):
    # Monday 10:00: 48 hours before is Saturday, 2 hours before is Monday 08:00; both move
    # back to Friday 15:59, the end of her last safe window. She gets one message.
    monday = next_tuesday_at_10() - timedelta(days=1)
    booking = book_client(
        actor=keyworker, referral=sms_weekdays_10_to_16(keyworker), session=session_at(monday)
    )
    reminders = {r.offset_hours: r for r in booking.reminders.all()}
    assert reminders[48].status == ReminderStatus.SCHEDULED
    assert timezone.localtime(reminders[48].send_at) == monday - timedelta(days=3) + timedelta(
        hours=5, minutes=59
    )
    assert (reminders[2].status, reminders[2].send_at) == (ReminderStatus.MERGED, None)
    # Moved to a Wednesday, both fit her hours again and both are scheduled.
    from sessions_booking.services.scheduling import update_session

    session, wednesday = booking.session, monday + timedelta(days=2, hours=4)
    update_session(
        session=session, venue=session.venue, facilitator=None, starts_at=wednesday,
        ends_at=wednesday + timedelta(hours=2), capacity=12, creche_places=4,
        booking_cutoff_hours=1,
    )  # fmt: skip
    assert set(booking.reminders.values_list("status", flat=True)) == {ReminderStatus.SCHEDULED}


def test_reminders_claimed_but_not_reached_in_the_time_budget_go_back_in_the_queue(
    keyworker, monkeypatch
):
    import time as clock

    from sessions_booking.services.reminders import sweep

    bookings = [booked_and_safe_now(keyworker) for _ in range(3)]
    for booking in bookings:
        make_due(booking)

    class Slow:
        def send(self, message):
            clock.sleep(0.05)
            return "slow-1"

    monkeypatch.setattr("sessions_booking.services.reminders.backend_for", lambda channel: Slow())
    sent = sweep(budget_seconds=0.12, batch=10)
    statuses = list(Reminder.objects.values_list("status", flat=True))
    assert 1 <= sent < 6
    assert statuses.count(ReminderStatus.SENT) == sent
    assert statuses.count(ReminderStatus.SCHEDULED) == 6 - sent
    assert ReminderStatus.SENDING not in statuses


def test_the_turn_in_the_pace_is_taken_just_before_sending_and_none_puts_all_back(
    keyworker, monkeypatch
):
    """Her message is ready (rules checked, link in it) before the turn is asked for, so
    the moments Notify counts are as even as the pace; a sweep given no turn before its
    deadline sends nothing more and puts that reminder and the rest back."""
    from core.messaging.pace import Pacer
    from sessions_booking.services.reminders import sweep

    for _ in range(2):
        make_due(booked_and_safe_now(keyworker))
    events = []

    class Recording:
        def send(self, message):
            events.append(("sent", message.reference))
            return "recorded-1"

    turns = iter([True, True, False])

    def wait_turn(self, *, deadline):
        events.append(("turn", None))
        return next(turns)

    from sessions_booking.services import reminders

    issue_link = reminders.issue_link

    def link(booking, **kwargs):
        events.append(("link", None))
        return issue_link(booking, **kwargs)

    monkeypatch.setattr(Pacer, "wait_turn", wait_turn)
    monkeypatch.setattr(reminders, "issue_link", link)
    monkeypatch.setattr(reminders, "backend_for", lambda channel: Recording())
    assert sweep(batch=10) == 2
    assert [kind for kind, _ in events] == [
        *("link", "turn", "sent") * 2,
        *("link", "turn"),  # no turn: not sent, and the fourth is not even prepared
    ]
    statuses = list(Reminder.objects.values_list("status", flat=True))
    assert sorted(statuses) == sorted([ReminderStatus.SENT] * 2 + [ReminderStatus.SCHEDULED] * 2)
    assert ReminderStatus.SENDING not in statuses


def test_a_backlog_starts_one_more_sweep_at_most_once_a_minute(
    keyworker, django_capture_on_commit_callbacks
):
    from sessions_booking.services.reminders import sweep

    for _ in range(3):
        make_due(booked_and_safe_now(keyworker))
    with django_capture_on_commit_callbacks() as callbacks:
        assert sweep(batch=2) == 6  # three full batches of two
    assert len(callbacks) == 1
    for _ in range(2):
        make_due(booked_and_safe_now(keyworker))
    with django_capture_on_commit_callbacks() as callbacks:
        sweep(batch=2)
    assert callbacks == []  # within the minute: no more helpers
