"""In the demo, a woman who allowed SMS between 10:00 and 16:00 has her
reminders at safe times, the console shows discreet messages when they are due, and her
cancel link frees her place for the next woman on the waitlist."""

import re
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from referrals.models import Referral
from sessions_booking.models import BookingStatus, ReminderStatus
from sessions_booking.tasks import send_due_reminders

pytestmark = pytest.mark.django_db


def test_demo_reminders_come_at_safe_times_discreetly_and_her_cancel_link_frees_her_place(
    client, capsys, caplog
):
    call_command("seed_demo")
    output = capsys.readouterr().out
    lisa = Referral.objects.get(preferred_name="Lisa")
    bogdana = Referral.objects.get(preferred_name="Bogdana")
    lisas = lisa.bookings.get(status=BookingStatus.CONFIRMED)
    assert bogdana.bookings.get(session=lisas.session).status == BookingStatus.WAITLISTED
    # Her reminders are at safe times: a weekday, between 10:00 and 16:00.
    scheduled = lisas.reminders.filter(status=ReminderStatus.SCHEDULED)
    assert scheduled.count() == 2
    for reminder in scheduled:
        local = timezone.localtime(reminder.send_at)
        assert local.weekday() < 5
        assert time(10) <= local.time() < time(16)
        assert reminder.send_at <= reminder.due_at
        assert reminder.channel == "sms"
    assert "Lisa's reminders: 48h before at " in output

    # When they are due, the console shows discreet messages with her link.
    lisas.reminders.update(send_at=timezone.now() - timedelta(minutes=1))
    Referral.objects.filter(pk=lisa.pk).update(safe_days=[], safe_from=None, safe_until=None)
    caplog.clear()
    with caplog.at_level("INFO", logger="haven.messages"):
        send_due_reminders()
    to_lisa = [r.getMessage() for r in caplog.records if lisa.phone in r.getMessage()]
    assert len(to_lisa) == 2
    for line in to_lisa:
        text = line.split("]: ", 1)[1]
        assert text.startswith("Reminder: ")
        assert "Hanley Community Hub" not in text  # the address, never the venue's name
        for word in ("haven", "drug", "alcohol", "treatment", "recovery", "abuse", "lisa"):
            assert word not in text.lower()

    # The printed link cancels her place and Bogdana gets it.
    link = re.search(r"Lisa's confirm/cancel link: (\S+)", output).group(1)
    response = client.post(
        link.replace("http://127.0.0.1:8000", ""), {"action": "cancel", "sure": "yes"}
    )
    assert response.status_code == 302
    lisas.refresh_from_db()
    assert lisas.status == BookingStatus.CANCELLED
    assert bogdana.bookings.get(session=lisas.session).status == BookingStatus.CONFIRMED


def test_the_demo_shows_a_polish_reminder_within_minutes(capsys, caplog):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "Marta (Polish, SMS at any time): a reminder goes at" in output
    marta = Referral.objects.get(preferred_name="Marta")
    reminder = marta.bookings.get(status="confirmed", session__programme__name="Drop-in")
    due = reminder.reminders.get(status=ReminderStatus.SCHEDULED)
    assert due.send_at - timezone.now() < timedelta(minutes=6)
    type(due).objects.filter(pk=due.pk).update(send_at=timezone.now())
    caplog.clear()
    with caplog.at_level("INFO", logger="haven.messages"):
        send_due_reminders()
    (line,) = [r.getMessage() for r in caplog.records if marta.phone in r.getMessage()]
    assert "Przypomnienie: " in line
