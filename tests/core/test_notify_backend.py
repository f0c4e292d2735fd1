"""The GOV.UK Notify backend over real HTTP against a fake Notify on 127.0.0.1: what it
sends, how Notify's errors steer the reminder sweep, and how a reminder left "sending" by
a dead worker is recovered by its reference without a second message."""

import tomllib
import uuid
from datetime import timedelta

import pytest
import requests
from django.conf import settings as django_settings
from django.utils import timezone

from core.messaging.delivery import Message, PermanentFailure, TemporaryFailure
from core.messaging.delivery.notify import NotifyBackend
from sessions_booking.models import Reminder, ReminderStatus
from sessions_booking.services.booking import book_client
from sessions_booking.services.reminders import claim_due_reminders, recover_stuck_reminders
from sessions_booking.tasks import send_due_reminders
from tests.support.factories import GroupSessionFactory, ReferralFactory
from tests.support.fake_notify import fake_notify_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PHONE = "+447911123456"


def book(keyworker, *, session=None, **referral):
    """A confirmed booking (two reminders: 48 and 2 hours before) for a woman who may be
    texted at any time, so "now" is a safe moment."""
    request = keyworker
    referral = ReferralFactory(
        team=keyworker.team,
        assigned_to=keyworker,
        **{
            "safe_channels": ["sms"],
            "phone": PHONE,
            "safe_days": [],
            "safe_from": None,
            "safe_until": None,
            **referral,
        },
    )
    return book_client(
        actor=request, referral=referral, session=session or GroupSessionFactory(capacity=40)
    )


def make_due(*reminders):
    Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
        send_at=timezone.now() - timedelta(minutes=1)
    )


def due_reminder(keyworker, **referral) -> Reminder:
    """One due reminder (the 2-hour one); the other stays in the future."""
    reminder = book(keyworker, **referral).reminders.get(offset_hours=2)
    make_due(reminder)
    return reminder


def leave_stuck(reminder, *, seconds_ago=None):
    """As if a worker claimed it and died: "sending", claimed long enough ago."""
    seconds_ago = seconds_ago or django_settings.REMINDER_STUCK_AFTER_SECONDS + 60
    Reminder.objects.filter(pk=reminder.pk).update(
        status=ReminderStatus.SENDING,
        sending_started_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def sms(reference=None, text="Reminder: Tue 10:00 at 12 High Street. To confirm: x"):
    return Message(channel="sms", to=PHONE, text=text, reference=reference or str(uuid.uuid4()))


# --- What goes to Notify ------------------------------------------------------------------


def test_an_sms_carries_our_template_wording_and_reference(fake_notify):
    message = sms()
    provider_id = NotifyBackend().send(message)
    [sent] = fake_notify.messages
    assert provider_id == sent.id
    assert sent.type == "sms"
    assert sent.request == {
        "phone_number": PHONE,
        "template_id": fake_notify.sms_template_id,
        "personalisation": {"body": message.text},
        "reference": message.reference,
    }
    assert sent.body == message.text  # the template is just ((body)): the wording is ours


def test_the_sms_sender_id_goes_when_one_is_set(fake_notify, settings):
    settings.NOTIFY_SMS_SENDER_ID = sender = str(uuid.uuid4())
    NotifyBackend().send(sms())
    assert fake_notify.messages[0].sms_sender_id == sender


def test_an_email_carries_subject_body_reference_and_reply_to_when_set(fake_notify, settings):
    message = Message(
        channel="email",
        to="her@example.org",
        subject="Reminder",
        text="Reminder: Tue 10:00 at 12 High Street.",
        reference=str(uuid.uuid4()),
    )
    NotifyBackend().send(message)
    settings.NOTIFY_EMAIL_REPLY_TO_ID = reply_to = str(uuid.uuid4())
    NotifyBackend().send(message)
    first, second = fake_notify.messages
    assert first.request == {
        "email_address": "her@example.org",
        "template_id": fake_notify.email_template_id,
        "personalisation": {"subject": "Reminder", "body": message.text},
        "reference": message.reference,
    }
    assert (first.type, first.subject, first.body) == ("email", "Reminder", message.text)
    assert second.email_reply_to_id == reply_to


def test_the_sweep_sends_her_reminder_through_notify_with_its_idempotency_reference(
    fake_notify, keyworker
):
    booking = book(keyworker)
    make_due(*booking.reminders.all())
    assert send_due_reminders() == 2
    assert send_due_reminders() == 0
    reminders = list(booking.reminders.all())
    assert fake_notify.references() == {str(r.idempotency_key): 1 for r in reminders}
    for reminder in reminders:
        [sent] = fake_notify.find(str(reminder.idempotency_key))
        assert reminder.status == ReminderStatus.SENT
        assert reminder.provider_reference == sent.id
        assert reminder.attempts == 1
        assert sent.to == PHONE
        assert sent.body.startswith("Reminder: ")
        assert django_settings.SITE_URL in sent.body  # her confirm/cancel link
        for word in ("haven", "drug", "alcohol", "treatment", "recovery", "group"):
            assert word not in sent.body.lower()


# --- Notify's errors ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limits_and_outages_are_temporary(fake_notify, status):
    fake_notify.fail_next(status)
    with pytest.raises(TemporaryFailure, match=f"Notify {status}"):
        NotifyBackend().send(sms())
    assert fake_notify.messages == []


@pytest.mark.parametrize("status", [429, 500])
def test_a_temporary_failure_backs_off_and_a_later_sweep_sends_it_exactly_once(
    fake_notify, keyworker, status
):
    reminder = due_reminder(keyworker)
    reference = str(reminder.idempotency_key)
    fake_notify.fail_next(status)
    before = timezone.now()
    assert send_due_reminders() == 0
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SCHEDULED
    assert reminder.attempts == 1
    assert reminder.send_at >= before + timedelta(minutes=2)  # backoff
    assert reminder.last_error.startswith(f"Notify {status}")
    assert fake_notify.references() == {}
    assert send_due_reminders() == 0  # not due again yet
    assert fake_notify.send_attempts(reference) == 1

    make_due(reminder)  # the backoff has passed
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    reminder.refresh_from_db()
    [sent] = fake_notify.find(reference)
    assert fake_notify.references() == {reference: 1}
    assert (reminder.status, reminder.provider_reference) == (ReminderStatus.SENT, sent.id)
    assert (reminder.attempts, reminder.last_error) == (2, "")


def test_a_refused_message_fails_after_one_attempt(fake_notify, keyworker):
    reminder = due_reminder(keyworker)
    fake_notify.fail_next(400)
    with pytest.raises(PermanentFailure, match="Notify 400"):
        NotifyBackend().send(sms())
    fake_notify.fail_next(400)
    assert send_due_reminders() == 0
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.FAILED, 1)
    assert "Notify 400" in reminder.last_error
    make_due(reminder)
    assert send_due_reminders() == 0  # failed stays failed: her keyworker follows it up
    assert fake_notify.send_attempts() == 2  # the direct send and the sweep's, nothing more
    assert fake_notify.messages == []


@pytest.mark.parametrize("wrong", ["secret", "service"])
def test_a_refused_api_key_is_a_permanent_failure(fake_notify, keyworker, settings, wrong):
    service, secret = fake_notify.service_id, fake_notify.secret
    if wrong == "secret":
        secret = str(uuid.uuid4())
    else:
        service = str(uuid.uuid4())
    settings.NOTIFY_API_KEY = f"haven_test-{service}-{secret}"
    with pytest.raises(PermanentFailure, match="Notify 403"):
        NotifyBackend().send(sms())
    reminder = due_reminder(keyworker)
    send_due_reminders()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.FAILED, 1)
    assert fake_notify.refused_auth == 2
    assert fake_notify.messages == []


def test_the_fake_refuses_sends_past_its_rate_limit_as_notify_does(fake_notify):
    """The pace benchmark and the pacing test count on it: a send past the limit in the
    last 60 seconds is refused with Notify's 429, a temporary failure."""
    fake_notify.per_minute_limit = 3
    for n in range(3):
        NotifyBackend().send(sms(reference=f"within-{n}"))
    with pytest.raises(TemporaryFailure, match=r"Notify 429: .*Exceeded rate limit"):
        NotifyBackend().send(sms(reference="one-too-many"))
    assert len(fake_notify.messages) == 3
    assert fake_notify.send_attempts() == 4


def test_the_fake_checks_the_token_it_is_given(fake_notify):
    """The fake would let a broken client through otherwise; Notify's real key works."""
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}):
        response = requests.post(
            f"{fake_notify.url}/v2/notifications/sms", json={}, headers=headers, timeout=5
        )
        assert response.status_code in (401, 403)
        assert response.json()["errors"][0]["error"] == "AuthError"
    assert NotifyBackend().lookup(str(uuid.uuid4())) is None  # the configured key is accepted


def test_lookup_finds_a_sent_message_by_reference_and_nothing_for_an_unknown_one(fake_notify):
    message = sms()
    provider_id = NotifyBackend().send(message)
    NotifyBackend().send(sms())  # another message, another reference
    backend = NotifyBackend()
    assert backend.lookup(message.reference) == provider_id
    assert backend.lookup(str(uuid.uuid4())) is None
    fake_notify.script("lookup", 500)
    with pytest.raises(TemporaryFailure):
        backend.lookup(message.reference)


# --- A reminder left "sending" by a worker that died --------------------------------------


def test_a_stuck_reminder_notify_already_has_is_recorded_as_sent_and_not_sent_again(
    fake_notify, keyworker
):
    reminder = due_reminder(keyworker)
    reference = str(reminder.idempotency_key)
    assert claim_due_reminders() == [reminder.pk]
    # The worker handed the message to Notify and died before recording it.
    provider_id = NotifyBackend().send(sms(reference))
    leave_stuck(reminder)

    assert recover_stuck_reminders() == {"sent": 1, "resent": 0, "unknown": 0}
    reminder.refresh_from_db()
    assert (reminder.status, reminder.provider_reference) == (ReminderStatus.SENT, provider_id)
    assert send_due_reminders() == 0
    assert fake_notify.references() == {reference: 1}
    assert fake_notify.lookups() == [reference]


def test_a_stuck_reminder_notify_never_got_is_sent_again_exactly_once(fake_notify, keyworker):
    reminder = due_reminder(keyworker)
    reference = str(reminder.idempotency_key)
    assert claim_due_reminders() == [reminder.pk]
    leave_stuck(reminder)  # died before Notify heard of it

    assert send_due_reminders() == 1  # recovery, then the resend, in one sweep
    assert send_due_reminders() == 0
    reminder.refresh_from_db()
    [sent] = fake_notify.find(reference)
    assert (reminder.status, reminder.provider_reference) == (ReminderStatus.SENT, sent.id)
    assert fake_notify.references() == {reference: 1}
    assert fake_notify.lookups() == [reference]


def test_only_reminders_stuck_longer_than_the_limit_are_looked_up(fake_notify, keyworker):
    """A reminder a living worker is still sending is left alone."""
    young, old = due_reminder(keyworker), due_reminder(keyworker)
    claim_due_reminders()
    leave_stuck(young, seconds_ago=django_settings.REMINDER_STUCK_AFTER_SECONDS - 30)
    leave_stuck(old)
    assert recover_stuck_reminders() == {"sent": 0, "resent": 1, "unknown": 0}
    assert fake_notify.lookups() == [str(old.idempotency_key)]
    young.refresh_from_db()
    assert young.status == ReminderStatus.SENDING


def test_a_failed_lookup_leaves_the_reminder_for_the_next_sweep(fake_notify, keyworker):
    reminder = due_reminder(keyworker)
    reference = str(reminder.idempotency_key)
    claim_due_reminders()
    provider_id = NotifyBackend().send(sms(reference))
    leave_stuck(reminder)
    fake_notify.script("lookup", 503)
    assert send_due_reminders() == 0
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENDING  # nobody knows yet: not resent
    assert send_due_reminders() == 0
    reminder.refresh_from_db()
    assert (reminder.status, reminder.provider_reference) == (ReminderStatus.SENT, provider_id)
    assert fake_notify.references() == {reference: 1}


# --- Found while writing these tests (see the report) -------------------------------------


def test_a_send_that_timed_out_after_notify_took_it_is_not_sent_twice(
    fake_notify, keyworker, settings
):
    """A timeout (or a dropped connection) after the request went out does not mean Notify
    did not take the message: the outcome is unknown, just as for a worker that died
    mid-send, so it must be looked up by its reference before anything is sent again."""
    settings.NOTIFY_TIMEOUT_SECONDS = 1
    reminder = due_reminder(keyworker)
    reference = str(reminder.idempotency_key)
    fake_notify.hang_on_send(1)  # Notify takes it, but the answer never arrives in time
    send_due_reminders()
    fake_notify.release()
    # Time passes: whatever is due is due, whatever is "sending" is stuck.
    make_due(reminder)
    Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENDING).update(
        sending_started_at=timezone.now() - timedelta(days=1)
    )
    send_due_reminders()
    send_due_reminders()
    reminder.refresh_from_db()
    assert fake_notify.references() == {reference: 1}, "she got the same reminder twice"
    [sent] = fake_notify.messages
    assert (reminder.status, reminder.provider_reference) == (ReminderStatus.SENT, sent.id)


def test_a_refused_lookup_does_not_stop_every_other_reminder(fake_notify, keyworker, settings):
    """Notify refusing a lookup (here: the key was revoked) must not make the whole sweep
    fail before it sends anything, e.g. the email reminders that go by SMTP."""
    settings.MESSAGES_EMAIL_BACKEND = "console"
    stuck = due_reminder(keyworker)
    claim_due_reminders()
    leave_stuck(stuck)
    emailed = due_reminder(keyworker, safe_channels=["email"], phone=None, email="her@example.org")
    assert emailed.channel == "email"
    fake_notify.script("lookup", 403)
    send_due_reminders()  # raises PermanentFailure today
    emailed.refresh_from_db()
    assert emailed.status == ReminderStatus.SENT


def test_the_notify_client_is_a_declared_dependency():
    """The Docker image installs only what pyproject.toml declares (pinned by the
    constraints file); without the client, importing the Notify backend fails in
    production."""
    pyproject = tomllib.loads((django_settings.BASE_DIR / "pyproject.toml").read_text())
    declared = " ".join(pyproject["project"]["dependencies"]).lower()
    assert "notifications-python-client" in declared
    constraints = (django_settings.BASE_DIR / "requirements/constraints.txt").read_text().lower()
    assert "notifications-python-client==" in constraints
    assert "pyjwt==" in constraints
