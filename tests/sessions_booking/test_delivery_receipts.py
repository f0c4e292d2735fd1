"""What becomes of a reminder after GOV.UK Notify takes it: delivery receipts from a fake
Notify over real HTTP (callbacks with its bearer token, some twice and out of order, or
looked up when callbacks are not configured). A message that will not arrive puts her on
her keyworker's calls list with the reason, and her case says so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_booking.models import DeliveryStatus, Reminder, ReminderStatus
from sessions_booking.selectors import calls_to_make
from sessions_booking.services.booking import book_client
from sessions_booking.services.receipts import look_up_delivery_statuses
from sessions_booking.tasks import look_up_delivery_statuses as look_up_task
from sessions_booking.tasks import send_due_reminders
from tests.support.factories import GroupSessionFactory, ReferralFactory
from tests.support.fake_notify import fake_notify_fixture  # noqa: F401

TOKEN = "callback-token-" + "x" * 30
CALLBACK = "/notify/delivery-status/"


def sent_reminders(keyworker, fake_notify, n=1):
    """n women each booked, with her 2-hour reminder sent through the fake Notify."""
    reminders = []
    for i in range(n):
        referral = ReferralFactory(
            team=keyworker.team, assigned_to=keyworker, preferred_name=f"Texted{i}",
            safe_channels=["sms"], phone="+447911123456", safe_days=[], safe_from=None,
            safe_until=None,
        )  # fmt: skip
        start = timezone.now() + timedelta(days=2)
        session = GroupSessionFactory(
            capacity=5, starts_at=start, ends_at=start + timedelta(hours=2),
            booking_cutoff=start - timedelta(hours=1),
        )  # fmt: skip
        booking = book_client(actor=keyworker, referral=referral, session=session)
        reminder = booking.reminders.get(offset_hours=2)
        Reminder.objects.filter(pk=reminder.pk).update(send_at=timezone.now() - timedelta(1))
        reminders.append(reminder)
    assert send_due_reminders() == n
    found = []
    for reminder in reminders:
        reminder.refresh_from_db()
        [sent] = fake_notify.find(str(reminder.idempotency_key))
        assert reminder.provider_reference == sent.id
        found.append((reminder, sent))
    return found


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_callbacks_over_http_twice_and_out_of_order(live_server, fake_notify, keyworker, settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    url = live_server.url + CALLBACK
    (failed, failed_sent), (delivered, delivered_sent) = sent_reminders(keyworker, fake_notify, 2)

    # A forged callback (no token, a wrong one) is refused and changes nothing.
    assert fake_notify.call_back(url, "wrong", failed_sent, "delivered") == 401
    failed.refresh_from_db()
    assert (failed.status, failed.delivery_status) == (ReminderStatus.SENT, "")

    # Her number is not in use: Notify says so twice, then (out of order) "delivered".
    for status in ("permanent-failure", "permanent-failure", "delivered"):
        assert fake_notify.call_back(url, TOKEN, failed_sent, status) == 204
    failed.refresh_from_db()
    assert failed.status == ReminderStatus.FAILED
    assert failed.delivery_status == DeliveryStatus.PERMANENT_FAILURE
    assert failed.last_error == str(DeliveryStatus.PERMANENT_FAILURE.label)
    # The other arrived; a late "temporary-failure" for it changes nothing.
    for status in ("delivered", "temporary-failure", "delivered"):
        assert fake_notify.call_back(url, TOKEN, delivered_sent, status) == 204
    delivered.refresh_from_db()
    assert (delivered.status, delivered.delivery_status) == (
        ReminderStatus.SENT, DeliveryStatus.DELIVERED,
    )  # fmt: skip
    # Her keyworker's calls list has her, with the reason; the other woman is not on it.
    assert [r.pk for r in calls_to_make(user=keyworker)] == [failed.pk]


@pytest.mark.django_db
def test_the_case_page_and_the_calls_list_say_why(
    client, sign_in, fake_notify, keyworker, settings
):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    [(reminder, _sent)] = sent_reminders(keyworker, fake_notify)
    response = client.post(
        CALLBACK, {"id": reminder.provider_reference, "status": "temporary-failure"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )  # fmt: skip
    assert response.status_code == 204
    sign_in(keyworker)
    home = client.get(reverse("home:staff_home")).content.decode()
    calls = home[home.index('id="calls-heading"') :]
    assert (
        "Not delivered: her phone was off or her inbox full" in calls[: calls.index("</section>")]
    )
    case = client.get(reverse("referrals:case_detail", args=[reminder.booking.referral_id]))
    assert "A reminder to her was not delivered" in case.content.decode()


@pytest.mark.django_db
def test_a_receipt_for_a_message_that_is_not_ours_is_answered_the_same(client, settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    for body in ({"id": "not-ours", "status": "delivered"}, {"id": "x", "status": "sending"}):
        response = client.post(
            CALLBACK, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
        )
        assert response.status_code == 204
    bad = client.post(
        CALLBACK, "not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert bad.status_code == 400


@pytest.mark.django_db
def test_without_callbacks_the_worker_looks_statuses_up(fake_notify, keyworker, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    (gone, gone_sent), (fine, fine_sent), (pending, _p) = sent_reminders(keyworker, fake_notify, 3)
    fake_notify.set_status(gone_sent, "permanent-failure")
    fake_notify.set_status(fine_sent, "delivered")
    assert look_up_task() == 2
    assert look_up_task() == 0  # nothing new: the pending one is asked again next time
    for reminder in (gone, fine, pending):
        reminder.refresh_from_db()
    assert (gone.status, gone.delivery_status) == (
        ReminderStatus.FAILED, DeliveryStatus.PERMANENT_FAILURE,
    )  # fmt: skip
    assert fine.delivery_status == DeliveryStatus.DELIVERED
    assert pending.delivery_status == ""
    # Messages older than the look-up window are not asked about.
    Reminder.objects.filter(pk=pending.pk).update(sent_at=timezone.now() - timedelta(hours=73))
    fake_notify.set_status(_p, "delivered")
    assert look_up_delivery_statuses() == 0
    # With callbacks configured, the task leaves it to them.
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    assert look_up_task() == 0
