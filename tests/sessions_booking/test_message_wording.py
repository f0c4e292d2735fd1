"""Reminder wording: discreet by default, checked before it is saved, in her language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.permissions import Role
from sessions_booking.models import MessageTemplate
from sessions_booking.rules import wording
from tests.support.factories import GroupSessionFactory, UserFactory, VenueFactory

LONDON = ZoneInfo("Europe/London")
GOOD = "Reminder: {when} at {where}. To confirm or cancel: {link}"


def problems(text, *, subject="Reminder", language="en", names_service=False):
    return wording.problems(
        subject=subject, text=text, language=language, names_service=names_service
    )


@pytest.mark.parametrize("word", ["drug", "alcohol", "treatment", "recovery", "abuse"])
def test_discreet_wording_refuses_words_that_say_what_the_appointment_is_for(word):
    found = problems(f"Your {word.upper()} appointment: {{when}} at {{where}}. {{link}}")
    assert len(found) == 1
    assert word in found[0]
    # Inflected forms are caught too ("drugs", "abused"), and in the email subject.
    assert problems(GOOD, subject=f"About the {word}s")


def test_discreet_wording_refuses_the_service_name(settings):
    settings.SERVICE_NAME = "Haven"
    assert "Haven" in problems("haven: {when} at {where} {link}")[0]
    settings.SERVICE_NAME = "Rose Project"
    assert problems("See you at rose project {when} {where} {link}")
    assert problems(GOOD) == []


def test_wording_that_names_the_service_may_say_so_and_use_its_placeholders():
    named = "{service}: {programme}, {when} at {where}. {link}"
    assert problems(named, names_service=True) == []
    assert problems("Haven treatment group {when} {where} {link}", names_service=True) == []
    # ...but a discreet template may not reach for them.
    assert "{programme}, {service}" in problems(named)[0]


@pytest.mark.parametrize(
    "text",
    [
        "{when} at {where}",  # no link: she must always be able to cancel
        "{when.__class__} {where} {link}",  # attribute access
        "{when!r} {where} {link}",  # conversion
        "{when:>40} {where} {link}",  # format spec
        "{when} {where} {link} {",  # stray brace
        "{when} {where} {link} {name}",  # her name is never in a reminder
    ],
)
def test_only_plain_known_placeholders_are_accepted(text):
    assert problems(text)


def test_other_languages_have_their_own_disallowed_words():
    assert problems("Przypomnienie: {when}, {where}. Leczenie. {link}", language="pl")
    assert problems("Memento: {when}, {where}. Tratament {link}", language="ro")
    # English words are refused in every language.
    assert problems("Przypomnienie: {when}, {where}. Alcohol {link}", language="pl")


def test_every_built_in_wording_passes_its_own_check():
    for (language, names_service), (subject, text) in wording.DEFAULTS.items():
        assert problems(text, subject=subject, language=language, names_service=names_service) == []


@pytest.mark.django_db
def test_she_gets_her_language_and_the_named_wording_only_if_she_allowed_it():
    assert wording.wording_for(language="pl", may_name_service=False).language == "pl"
    # No named Polish wording: her language wins over naming (discreet is always safe).
    chosen = wording.wording_for(language="pl", may_name_service=True)
    assert (chosen.language, chosen.names_service) == ("pl", False)
    assert wording.wording_for(language="en", may_name_service=True).names_service
    assert not wording.wording_for(language="en", may_name_service=False).names_service
    # A language with no wording at all falls back to English.
    assert wording.wording_for(language="other", may_name_service=False).language == "en"
    MessageTemplate.objects.create(language="pl", names_service=False, subject="P", text="X {link}")
    assert wording.wording_for(language="pl", may_name_service=False).text == "X {link}"


@pytest.mark.django_db
def test_the_date_is_written_in_her_language():
    session = GroupSessionFactory(
        starts_at=datetime(2030, 12, 3, 10, 0, tzinfo=LONDON),
        ends_at=datetime(2030, 12, 3, 12, 0, tzinfo=LONDON),
        booking_cutoff=datetime(2030, 12, 3, 9, 0, tzinfo=LONDON),
        venue=VenueFactory(address="12 High Street\nWalsall WS1 1AA"),
    )
    english = wording.values_for(session, link="L", language="en")
    assert english["when"] == "Tue 3 Dec, 10:00"
    assert english["where"] == "12 High Street, Walsall WS1 1AA"
    # Each language's own forms (CLDR): Polish months in the genitive, Romanian in lower case.
    when = {
        language: wording.values_for(session, link="L", language=language)["when"]
        for language in ("pl", "ro", "ur", "pa", "bn")
    }
    assert when["pl"] == "wt., 3 gru, 10:00"
    assert when["ro"] == "mar., 3 dec., 10:00"
    assert when["ur"] == "منگل، 3 دسمبر 10:00"
    assert when["pa"] == "ਮੰਗਲ, 3 ਦਸੰ, 10:00"
    assert when["bn"] == "মঙ্গল 3 ডিসে 10:00"


def test_sms_fragments_count_plain_and_other_scripts():
    assert wording.sms_fragments("a" * 160) == 1
    assert wording.sms_fragments("a" * 161) == 2
    assert wording.sms_fragments("ę" * 70) == 1
    assert wording.sms_fragments("ę" * 71) == 2


# --- The service admin's screen ---------------------------------------------------------------


@pytest.mark.django_db
def test_admins_see_every_language_and_kind(admin_client):
    page = admin_client.get(reverse("sessions_booking:setup_messages")).content.decode()
    for language in ("English", "Polish", "Romanian", "Urdu", "Punjabi", "Bengali"):
        assert f'<th scope="row">{language}</th>' in page
    assert "Przypomnienie" in page


@pytest.mark.django_db
def test_preview_shows_the_message_without_saving(admin_client):
    url = reverse("sessions_booking:setup_message_edit", args=["en", "discreet"])
    response = admin_client.post(
        url, {"subject": "Hello", "text": "See you {when} at {where}. {link}", "action": "preview"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "See you " in page
    assert "/r/Ab3dEf7hJk9m/" in page
    assert "1 text message" in page
    assert not MessageTemplate.objects.exists()


@pytest.mark.django_db
def test_a_refused_wording_keeps_what_was_typed_and_says_why(admin_client):
    url = reverse("sessions_booking:setup_message_edit", args=["en", "discreet"])
    typed = "Your alcohol group {when} at {where}. {link}"
    response = admin_client.post(url, {"subject": "Hello", "text": typed, "action": "save"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "“alcohol”" in page
    assert typed in page
    assert not MessageTemplate.objects.exists()


@pytest.mark.django_db
def test_saved_wording_is_used_and_can_be_reset(admin_client):
    url = reverse("sessions_booking:setup_message_edit", args=["ro", "discreet"])
    response = admin_client.post(
        url, {"subject": "Memento", "text": "{when}, {where}: {link}", "action": "save"}
    )
    assert response.status_code == 302
    template = MessageTemplate.objects.get(language="ro", names_service=False)
    assert template.updated_by is not None
    assert (
        wording.wording_for(language="ro", may_name_service=False).text == "{when}, {where}: {link}"
    )
    admin_client.post(url, {"subject": "x", "text": "x", "action": "reset"})
    assert not MessageTemplate.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", [("xx", "discreet"), ("en", "loud"), ("other", "discreet")])
def test_unknown_languages_and_kinds_are_404(admin_client, path):
    assert (
        admin_client.get(reverse("sessions_booking:setup_message_edit", args=path)).status_code
        == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.KEYWORKER, Role.TEAM_LEAD])
def test_only_service_admins_edit_wording(client, sign_in, role):
    sign_in(UserFactory(roles={role}))
    assert client.get(reverse("sessions_booking:setup_messages")).status_code == 404
    url = reverse("sessions_booking:setup_message_edit", args=["en", "discreet"])
    assert client.post(url, {"subject": "a", "text": GOOD, "action": "save"}).status_code == 404
    assert not MessageTemplate.objects.exists()


@pytest.mark.django_db
def test_a_venue_address_that_gives_the_purpose_away_is_refused(admin_client):
    response = admin_client.post(
        reverse("sessions_booking:setup_venue_create"),
        {"name": "Hub", "address": "Women's Recovery Hub\n1 Road", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "“recovery”" in response.content.decode()
