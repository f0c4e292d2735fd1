"""Groups she can reach in her language: sessions in it come first, an interpreter can be
requested for any other (face to face by default, female when she asks), the agency's
answer is recorded, and a woman whose interpreter is not confirmed shows on the calendar,
the session page and the roster."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from core.refusals import Refused
from referrals.choices import Language, Status
from sessions_booking.models import Booking, InterpreterRequest
from sessions_booking.services.booking import book_client, cancel_booking
from sessions_booking.services.interpreters import (
    InterpreterWish,
    request_interpreter,
    update_interpreter_request,
)
from tests.support.factories import GroupSessionFactory, ProgrammeFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia(team, amara):
    """An Urdu-speaking mother of a one-year-old and a four-year-old."""
    return ReferralFactory(
        team=team, assigned_to=amara, status=Status.ASSESSMENT, preferred_name="Nadia",
        preferred_language=Language.URDU, needs_interpreter=True, needs_childcare=True,
        children_count=2, children_ages=[1, 4],
    )  # fmt: skip


def urdu_woman(amara, **kwargs):
    return ReferralFactory(
        team=amara.team, assigned_to=amara, preferred_language=Language.URDU, **kwargs
    )


# --- the service -----------------------------------------------------------------------------
def test_booking_her_into_a_session_in_another_language_requests_her_interpreter(amara, nadia):
    session = GroupSessionFactory()
    booking = book_client(
        actor=amara, referral=nadia, session=session, interpreter=InterpreterWish()
    )
    assert booking.interpreter_language == "ur"
    request = InterpreterRequest.objects.get()
    assert (request.session, request.language, request.mode, request.female, request.status) == (
        session,
        "ur",
        "face_to_face",
        False,
        "requested",
    )
    assert AuditEvent.objects.filter(action=AuditAction.REQUESTED_INTERPRETER).count() == 1

    # A second Urdu speaker who asks for a female interpreter: the same request, now female.
    book_client(
        actor=amara,
        referral=urdu_woman(amara),
        session=session,
        interpreter=InterpreterWish(mode="telephone", female=True),
    )
    request.refresh_from_db()
    assert InterpreterRequest.objects.count() == 1
    assert request.female is True
    assert AuditEvent.objects.filter(action=AuditAction.UPDATED_INTERPRETER).count() == 1


def test_a_session_in_her_language_needs_no_interpreter(amara, nadia):
    session = GroupSessionFactory(language="ur")
    booking = book_client(
        actor=amara, referral=nadia, session=session, interpreter=InterpreterWish()
    )
    assert booking.interpreter_language == ""
    assert not InterpreterRequest.objects.exists()


def test_an_interpreter_for_the_session_s_own_language_is_refused(service_admin):
    session = GroupSessionFactory(language="pl")
    with pytest.raises(Refused, match="already delivered in Polish"):
        request_interpreter(actor=service_admin, session=session, language="pl")
    assert not InterpreterRequest.objects.exists()


def test_the_agency_s_answer_moves_the_request_on_and_a_cancelled_one_stays_cancelled(
    service_admin,
):
    request = request_interpreter(actor=service_admin, session=GroupSessionFactory(), language="pl")
    for status in ("booked", "confirmed"):
        request = update_interpreter_request(
            actor=service_admin,
            interpreter_request=request,
            status=status,
            agency_reference="LB-2291",
            mode="face_to_face",
            female=True,
        )
    assert (request.status, request.agency_reference) == ("confirmed", "LB-2291")
    update_interpreter_request(
        actor=service_admin, interpreter_request=request, status="cancelled",
        agency_reference="LB-2291", mode="face_to_face", female=True,
    )  # fmt: skip
    with pytest.raises(Refused, match="was cancelled"):
        update_interpreter_request(
            actor=service_admin, interpreter_request=request, status="confirmed",
            agency_reference="", mode="face_to_face", female=True,
        )  # fmt: skip


def test_when_the_last_woman_needing_a_language_cancels_the_request_is_flagged(amara, nadia):
    session = GroupSessionFactory()
    first = book_client(actor=amara, referral=nadia, session=session, interpreter=InterpreterWish())
    second = book_client(actor=amara, referral=urdu_woman(amara), session=session)
    request = InterpreterRequest.objects.get()

    cancel_booking(actor=amara, booking=first)
    request.refresh_from_db()
    assert request.flagged_for_cancelling_at is None  # she still needs it

    cancel_booking(actor=amara, booking=second)
    request.refresh_from_db()
    assert request.flagged_for_cancelling_at is not None

    # Another Urdu speaker books in: the interpreter is needed again.
    book_client(actor=amara, referral=urdu_woman(amara), session=session)
    request.refresh_from_db()
    assert request.flagged_for_cancelling_at is None


# --- the booking page --------------------------------------------------------------------------
def test_her_groups_page_shows_the_urdu_group_first_and_offers_an_interpreter(
    client, sign_in, amara, nadia
):
    programme = ProgrammeFactory(name="Mothers in recovery")
    soon = timezone.now() + timedelta(days=3)
    english = GroupSessionFactory(programme=programme, starts_at=soon)
    urdu = GroupSessionFactory(
        programme=programme, starts_at=soon + timedelta(days=7), language="ur"
    )
    sign_in(amara)
    html = client.get(
        reverse("sessions_booking:book_sessions", args=[nadia.pk]), {"programme": programme.pk}
    ).content.decode()
    assert "She speaks Urdu." in html
    assert "Groups in Urdu or with a Urdu interpreter" in html
    # Her language's session comes first although it is a week later.
    assert html.index(f'name="session" value="{urdu.pk}"') < html.index(
        f'name="session" value="{english.pk}"'
    )
    assert "No interpreter for her yet: you can request one" in html
    assert 'name="request_interpreter"' in html

    response = client.post(
        reverse("sessions_booking:case_book", args=[nadia.pk]),
        {
            "session": english.pk, "children_in_creche": 2, "children_ages": "1, 4",
            "request_interpreter": "on", "interpreter_mode": "face_to_face",
            "female_interpreter": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    request = InterpreterRequest.objects.get()
    assert (request.session, request.language, request.female) == (english, "ur", True)
    page = client.get(
        reverse("sessions_booking:book_sessions", args=[nadia.pk]), {"programme": programme.pk}
    ).content.decode()
    assert "Her interpreter is asked for, not confirmed" in page


def test_a_woman_speaking_english_is_offered_no_interpreter(client, sign_in, amara):
    her = ReferralFactory(team=amara.team, assigned_to=amara)
    session = GroupSessionFactory()
    sign_in(amara)
    html = client.get(
        reverse("sessions_booking:book_sessions", args=[her.pk]),
        {"programme": session.programme.pk},
    ).content.decode()
    assert 'name="request_interpreter"' not in html
    assert "She speaks" not in html


def test_a_bad_date_of_birth_is_refused_and_nothing_typed_is_lost(client, sign_in, amara, nadia):
    session = GroupSessionFactory()
    day_after = timezone.localtime(session.starts_at).date() + timedelta(days=1)
    sign_in(amara)
    response = client.post(
        reverse("sessions_booking:case_book", args=[nadia.pk]),
        {
            "programme": session.programme.pk, "session": session.pk, "children_in_creche": 2,
            "children_ages": "4", "children_dates_of_birth": day_after.strftime("%d/%m/%Y"),
            "request_interpreter": "on", "interpreter_mode": "telephone",
        },
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "is after the session&#x27;s day" in html
    assert 'aria-invalid="true"' in html
    assert f'value="{day_after:%d/%m/%Y}"' in html
    assert 'value="4"' in html
    assert not Booking.objects.exists()


def test_a_child_over_8_on_the_day_is_refused(client, sign_in, amara, nadia):
    session = GroupSessionFactory()
    sign_in(amara)
    response = client.post(
        reverse("sessions_booking:case_book", args=[nadia.pk]),
        {"session": session.pk, "children_in_creche": 1, "children_ages": "9"},
    )
    assert response.status_code == 400
    assert "the crèche takes children up to 8" in response.content.decode()
    assert not Booking.objects.exists()


# --- what staff see ------------------------------------------------------------------------------
def test_a_woman_whose_interpreter_is_not_confirmed_shows_on_roster_session_and_calendar(
    client, sign_in, amara, nadia, service_admin
):
    session = GroupSessionFactory(facilitator=amara)
    book_client(actor=amara, referral=nadia, session=session, interpreter=InterpreterWish())
    sign_in(amara)
    roster = client.get(reverse("sessions_booking:session_roster", args=[session.pk]))
    assert "1 woman's interpreter is not confirmed." in roster.content.decode()
    assert "<strong>not confirmed</strong>" in roster.content.decode()

    sign_in(service_admin)
    detail = client.get(reverse("sessions_booking:setup_session_detail", args=[session.pk]))
    assert "1 woman booked in needs an interpreter who is not confirmed yet." in (
        detail.content.decode()
    )
    week = timezone.localtime(session.starts_at).date()
    calendar = client.get(reverse("sessions_booking:setup_calendar"), {"week": f"{week:%Y-%m-%d}"})
    assert "1 woman&#x27;s interpreter not confirmed" in calendar.content.decode()

    request = InterpreterRequest.objects.get()
    response = client.post(
        reverse("sessions_booking:setup_interpreter_edit", args=[request.pk]),
        {"status": "confirmed", "agency_reference": "LB-1", "mode": "face_to_face"},
    )
    assert response.status_code == 302
    sign_in(amara)
    roster = client.get(reverse("sessions_booking:session_roster", args=[session.pk]))
    assert "not confirmed" not in roster.content.decode()
    assert "Urdu: confirmed" in roster.content.decode()


def test_the_interpreter_page_refuses_the_session_s_own_language_keeping_the_choices(
    client, sign_in, service_admin
):
    session = GroupSessionFactory(language="pl")
    sign_in(service_admin)
    url = reverse("sessions_booking:setup_interpreter_create", args=[session.pk])
    response = client.post(url, {"language": "pl", "mode": "telephone", "female": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "already delivered in Polish" in html
    assert re.search(r'value="telephone"[^>]*checked', html)
    assert re.search(r'name="female"[^>]*checked', html)
    assert not InterpreterRequest.objects.exists()

    response = client.post(url, {"language": "ur", "mode": "telephone", "female": "on"})
    assert response.status_code == 302
    created = InterpreterRequest.objects.get()
    assert (created.language, created.mode, created.female) == ("ur", "telephone", True)
    listing = client.get(reverse("sessions_booking:setup_interpreters")).content.decode()
    assert "Urdu" in listing


def test_cancelling_the_session_flags_its_interpreters_for_cancelling(amara, nadia):
    from sessions_booking.services.booking import cancel_session

    session = GroupSessionFactory()
    book_client(actor=amara, referral=nadia, session=session, interpreter=InterpreterWish())
    cancel_session(actor=amara, session=session)
    assert InterpreterRequest.objects.get().flagged_for_cancelling_at is not None
