"""A reminder whose worker died mid-send is recovered without a second message; the SMTP
backend's errors; a keyworker's manual resend (audited, only when safe)."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.messaging.delivery import (
    CannotTell,
    Message,
    PermanentFailure,
    TemporaryFailure,
    backend_for,
)
from core.messaging.delivery.console import ConsoleBackend
from core.messaging.delivery.smtp import SmtpBackend
from core.models import AuditEvent
from core.permissions import Role
from sessions_booking.models import Reminder, ReminderStatus
from sessions_booking.selectors import calls_to_make
from sessions_booking.services.booking import book_client
from sessions_booking.services.reminders import claim_due_reminders, recover_stuck_reminders
from sessions_booking.tasks import send_due_reminders
from tests.support.factories import GroupSessionFactory, ReferralFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(keyworker):
    request = keyworker
    start = timezone.now() + timedelta(days=3)
    session = GroupSessionFactory(
        starts_at=start, ends_at=start + timedelta(hours=2),
        booking_cutoff=start - timedelta(hours=1),
    )  # fmt: skip
    referral = ReferralFactory(
        team=keyworker.team, assigned_to=keyworker, safe_channels=["sms", "email"],
        phone="+447911123456", email="her@example.org", safe_days=[], safe_from=None,
        safe_until=None,
    )  # fmt: skip
    return book_client(actor=request, referral=referral, session=session)


def claim_all(booking, *, minutes_ago):
    booking.reminders.update(send_at=timezone.now() - timedelta(minutes=1))
    claimed = claim_due_reminders()
    Reminder.objects.filter(pk__in=claimed).update(
        sending_started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return claimed


def sms_lines(caplog):
    return [r.getMessage() for r in caplog.records if "SMS to" in r.getMessage()]


def test_a_stuck_reminder_the_provider_already_has_is_recorded_not_resent(booking, caplog):
    first, second = claim_all(booking, minutes_ago=10)
    reminder = Reminder.objects.select_related("booking__referral").get(pk=first)
    # The worker handed the message over, then died before recording it.
    provider_id = ConsoleBackend().send(
        Message(
            channel="sms", to="+447911123456", text="x", reference=str(reminder.idempotency_key)
        )
    )
    caplog.clear()
    with caplog.at_level("INFO", logger="haven.messages"):
        assert recover_stuck_reminders() == {"sent": 1, "resent": 1, "unknown": 0}
        send_due_reminders()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.provider_reference) == (ReminderStatus.SENT, provider_id)
    other = Reminder.objects.get(pk=second)
    assert other.status == ReminderStatus.SENT
    # Only the one the provider did not have was sent (again, under the same reference).
    lines = sms_lines(caplog)
    assert len(lines) == 1
    assert str(other.idempotency_key) in lines[0]


def test_a_reminder_still_being_sent_is_left_alone(booking, settings):
    settings.REMINDER_STUCK_AFTER_SECONDS = 300
    claim_all(booking, minutes_ago=2)
    assert recover_stuck_reminders() == {"sent": 0, "resent": 0, "unknown": 0}
    assert set(booking.reminders.values_list("status", flat=True)) == {ReminderStatus.SENDING}


def test_the_stuck_timeout_outlives_any_task():
    from django.conf import settings

    assert settings.REMINDER_STUCK_AFTER_SECONDS > settings.CELERY_TASK_TIME_LIMIT


def test_with_smtp_nobody_can_tell_so_her_keyworker_is_asked_to_check(booking, keyworker, settings):
    settings.MESSAGES_SMS_BACKEND = "console"
    booking.reminders.update(channel="email")
    settings.MESSAGES_EMAIL_BACKEND = "smtp"
    claim_all(booking, minutes_ago=10)
    assert recover_stuck_reminders() == {"sent": 0, "resent": 0, "unknown": 2}
    reminders = booking.reminders.all()
    assert {r.status for r in reminders} == {ReminderStatus.FAILED}
    assert all("check with her" in r.last_error for r in reminders)
    assert set(calls_to_make(user=keyworker)) == set(reminders)
    assert mail.outbox == []


def test_smtp_backend_sends_email_and_sorts_its_errors(monkeypatch):
    backend = SmtpBackend()
    message = Message(channel="email", to="her@example.org", text="Hi", subject="S", reference="r1")
    assert backend.send(message).startswith("<")
    assert mail.outbox[0].to == ["her@example.org"]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<")
    with pytest.raises(CannotTell):
        backend.lookup("r1")

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"her@example.org": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(PermanentFailure):
        backend.send(message)

    def disconnect(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", disconnect)
    with pytest.raises(TemporaryFailure):
        backend.send(message)


def test_backends_are_chosen_per_channel(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.MESSAGES_SMS_BACKEND, settings.MESSAGES_EMAIL_BACKEND = "console", "smtp"
    assert isinstance(backend_for("sms"), ConsoleBackend)
    assert isinstance(backend_for("email"), SmtpBackend)
    settings.MESSAGES_SMS_BACKEND = "smtp"
    with pytest.raises(ImproperlyConfigured, match="cannot send sms"):
        backend_for("sms")
    settings.MESSAGES_SMS_BACKEND, settings.NOTIFY_API_KEY = "notify", ""
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_API_KEY"):
        backend_for("sms")


# --- Resending by hand --------------------------------------------------------------------------


def sent(booking):
    booking.reminders.update(send_at=timezone.now() - timedelta(minutes=1))
    send_due_reminders()
    return booking.reminders.get(offset_hours=48)


def test_her_keyworker_resends_a_reminder_and_it_is_audited(booking, keyworker, sign_in, caplog):
    reminder = sent(booking)
    old_key = reminder.idempotency_key
    client = sign_in(keyworker)
    response = client.post(reverse("sessions_booking:reminder_resend", args=[reminder.pk]))
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SCHEDULED
    assert reminder.idempotency_key != old_key  # a new message, not a retry of the old one
    event = AuditEvent.objects.get(action=AuditAction.RESENT_REMINDER)
    assert event.actor == keyworker
    assert event.detail["before"]["status"] == "sent"
    caplog.clear()
    with caplog.at_level("INFO", logger="haven.messages"):
        send_due_reminders()
    assert len(sms_lines(caplog)) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    # The reminder's earlier states stay on record.
    assert [e.status for e in reminder.events.order_by("pgh_id")][-3:] == [
        "scheduled", "sending", "sent"
    ]  # fmt: skip


def test_resending_outside_her_safe_times_is_refused(booking, keyworker, sign_in):
    reminder = sent(booking)
    today = timezone.localdate().weekday()
    type(booking.referral).objects.filter(pk=booking.referral_id).update(
        safe_days=[day for day in range(7) if day != today]
    )
    client = sign_in(keyworker)
    response = client.post(
        reverse("sessions_booking:reminder_resend", args=[reminder.pk]), follow=True
    )
    assert "not safe to message her now" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert not AuditEvent.objects.filter(action=AuditAction.RESENT_REMINDER).exists()


@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.SERVICE_ADMIN, Role.TEAM_LEAD])
def test_other_staff_cannot_resend(booking, sign_in, role):
    reminder = sent(booking)
    client = sign_in(UserFactory(team=TeamFactory(name="South"), roles={role}))
    assert (
        client.post(reverse("sessions_booking:reminder_resend", args=[reminder.pk])).status_code
        == 404
    )
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT


def test_her_team_lead_can_resend(booking, keyworker, sign_in):
    reminder = sent(booking)
    client = sign_in(UserFactory(team=keyworker.team, roles={Role.TEAM_LEAD}))
    assert (
        client.post(reverse("sessions_booking:reminder_resend", args=[reminder.pk])).status_code
        == 302
    )
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SCHEDULED


def test_resend_is_post_only(booking, keyworker, sign_in):
    reminder = sent(booking)
    assert (
        sign_in(keyworker)
        .get(reverse("sessions_booking:reminder_resend", args=[reminder.pk]))
        .status_code
        == 405
    )
