"""Her confirm/cancel link: short, unguessable, expiring, spent once she cancels, and it
shows nothing but the date, time and place."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from sessions_booking.models import BookingLink, BookingStatus, ReminderStatus
from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from sessions_booking.tasks import send_due_reminders
from tests.support.factories import GroupSessionFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def woman(keyworker, **kwargs):
    defaults = {"safe_channels": ["sms"], "phone": "+447911123456", "safe_days": [],
                "safe_from": None, "safe_until": None, "preferred_name": "Dorota",
                "may_name_service": False}  # fmt: skip
    return ReferralFactory(team=keyworker.team, assigned_to=keyworker, **{**defaults, **kwargs})


@pytest.fixture
def session():
    start = timezone.now() + timedelta(days=3)
    return GroupSessionFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        booking_cutoff=start - timedelta(hours=1),
        capacity=1,
        creche_places=0,
    )


def token_of(url):
    return url.rstrip("/").rsplit("/", 1)[1]


def test_the_token_is_short_and_random_and_only_its_hash_is_stored(keyworker, session):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    urls = {issue_link(booking) for _ in range(50)}
    assert len(urls) == 50
    for url in urls:
        token = token_of(url)
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}", token)
        assert not BookingLink.objects.filter(token_hash__contains=token).exists()
    assert BookingLink.objects.filter(booking=booking).count() == 50


def test_the_page_shows_date_time_and_place_and_nothing_about_her_or_the_service(
    client, keyworker, session
):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    response = client.get(issue_link(booking).replace("http://127.0.0.1:8000", ""))
    page = response.content.decode()
    assert response.status_code == 200
    assert session.venue.address.splitlines()[0] in page
    assert timezone.localtime(session.starts_at).strftime("%H:%M") in page
    for secret in ("Dorota", "Haven", booking.referral.phone, session.programme.name):
        assert secret not in page
    assert "<title>Your appointment</title>" in page
    assert response["Cache-Control"].startswith("no-store")
    assert 'name="robots" content="noindex' in page


def test_she_confirms_she_is_coming(client, keyworker, session):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    url = issue_link(booking).replace("http://127.0.0.1:8000", "")
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.confirmed_by_her_at is not None
    assert booking.status == BookingStatus.CONFIRMED
    page = client.get(url).content.decode()
    assert "you told us you are coming" in page
    event = AuditEvent.objects.get(action=AuditAction.SHE_CONFIRMED)
    assert event.actor is None
    assert event.referral == booking.referral


def test_cancelling_frees_her_place_for_the_waitlist_and_tells_her_keyworker(
    client, keyworker, session, django_capture_on_commit_callbacks
):
    from config.celery import app

    leaving = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    waiting = book_client(
        actor=keyworker, referral=woman(keyworker, preferred_name="Next"), session=session
    )
    assert waiting.status == BookingStatus.WAITLISTED
    url = issue_link(leaving).replace("http://127.0.0.1:8000", "")
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": "cancel", "sure": "yes"})
    finally:
        app.conf.task_always_eager = False
    assert response.status_code == 302
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED
    assert set(leaving.reminders.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}
    assert waiting.reminders.filter(status=ReminderStatus.SCHEDULED).exists()
    event = AuditEvent.objects.get(action=AuditAction.SHE_CANCELLED)
    assert event.actor is None
    assert any(
        m.to == [keyworker.email] and "cancelled her group place" in m.body for m in mail.outbox
    )


def test_a_spent_link_says_so_and_changes_nothing(client, keyworker, session):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    url = issue_link(booking).replace("http://127.0.0.1:8000", "")
    other_link = issue_link(booking).replace("http://127.0.0.1:8000", "")
    client.post(url, {"action": "cancel", "sure": "yes"})
    for link in (url, other_link):
        again = client.post(link, {"action": "confirm"})
        assert again.status_code == 200
        assert "This appointment is cancelled" in again.content.decode()
    booking.refresh_from_db()
    assert booking.confirmed_by_her_at is None
    assert AuditEvent.objects.filter(action=AuditAction.SHE_CANCELLED).count() == 1


def test_an_expired_link_gets_a_clear_page(client, keyworker, session):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    url = issue_link(booking).replace("http://127.0.0.1:8000", "")
    BookingLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    for response in (client.get(url), client.post(url, {"action": "cancel", "sure": "yes"})):
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_links_end_when_the_session_starts_at_the_latest(keyworker, session, settings):
    settings.REMINDER_LINK_DAYS = 30
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    issue_link(booking)
    assert BookingLink.objects.get().expires_at == session.starts_at
    settings.REMINDER_LINK_DAYS = 1
    issue_link(booking)
    assert BookingLink.objects.latest("pk").expires_at < session.starts_at


@pytest.mark.parametrize("tampered", ["AAAAAAAAAAAA", "x", "a" * 40, "abc%20def"])
def test_an_unknown_or_tampered_token_gets_a_clear_page(client, keyworker, session, tampered):
    book_client(actor=keyworker, referral=woman(keyworker), session=session)
    response = client.get(f"/r/{tampered}/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.post(f"/r/{tampered}/", {"action": "cancel", "sure": "yes"}).status_code == 404


def test_a_changed_character_is_an_unknown_token(client, keyworker, session):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    token = token_of(issue_link(booking))
    changed = ("B" if token[0] != "B" else "C") + token[1:]
    assert client.post(f"/r/{changed}/", {"action": "cancel", "sure": "yes"}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_no_choice_made_is_a_clear_error(client, keyworker, session):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    url = issue_link(booking).replace("http://127.0.0.1:8000", "")
    response = client.post(url, {"action": "delete-everything"})
    assert response.status_code == 400
    assert "Please choose one of the buttons" in response.content.decode()


def test_guessing_is_rate_limited(client, settings):
    settings.REMINDER_LINK_RATE = "3/h"
    codes = [client.get(f"/r/guess{n:07d}/").status_code for n in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_the_link_in_a_sent_reminder_cancels_her_place(client, keyworker, session, caplog):
    booking = book_client(actor=keyworker, referral=woman(keyworker), session=session)
    booking.reminders.update(send_at=timezone.now() - timedelta(minutes=1))
    with caplog.at_level("INFO", logger="haven.messages"):
        assert send_due_reminders() == 2
    texts = [r.getMessage() for r in caplog.records if "SMS to" in r.getMessage()]
    links = [re.search(r"http://\S+/r/[A-Za-z0-9_-]{12}/", text).group(0) for text in texts]
    assert len(set(links)) == 2
    response = client.post(
        links[0].replace("http://127.0.0.1:8000", ""), {"action": "cancel", "sure": "yes"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
