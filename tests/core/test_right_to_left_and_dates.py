"""Her pages and messages in each language: phone numbers, references,
postcodes, e-mail addresses and links keep their left-to-right order in Urdu, and dates are
written as each language writes them (Polish months in the genitive, Romanian in lower
case). The browser's view of the Urdu check page is in tests/browser/test_referral_in_urdu.py."""

import re
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from core import bidi, dates
from core.messaging.gate import email_her_if_safe, message_her_if_safe
from referrals.tasks import send_referral_confirmation
from sessions_booking.rules import wording
from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from sessions_booking.services.reminders import message_for
from tests.support.factories import GroupSessionFactory, ReferralFactory, TeamFactory, VenueFactory
from tests.support.referral_journey import (
    SELF,
    SELF_STEPS,
    VALID_ANSWERS,
    complete,
    post_step,
    step_url,
)

LRI, PDI = "\u2066", "\u2069"
# Tuesday 8 December 2026, 14:30 in London (GMT).
MOMENT = datetime(2026, 12, 8, 14, 30, tzinfo=UTC)


# --- Isolating left-to-right values ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "isolated"),
    [
        (
            "فون نمبر لکھیں، جیسے 07123 456 789 یا 0121 496 0000۔",
            f"فون نمبر لکھیں، جیسے {LRI}07123 456 789{PDI} یا {LRI}0121 496 0000{PDI}۔",
        ),
        ("جیسے B12 9QL، یا B12۔", f"جیسے {LRI}B12 9QL{PDI}، یا {LRI}B12{PDI}۔"),
        ("جیسے name@example.com.", f"جیسے {LRI}name@example.com{PDI}."),
        ("حوالہ K7MP 4QXR ہے", f"حوالہ {LRI}K7MP 4QXR{PDI} ہے"),
        ("+44 7911 123456", f"{LRI}+44 7911 123456{PDI}"),
        (
            "پتہ: 12 High Street, Walsall WS1 1AA۔ لنک: https://h.example/r/AbC_d-e/",
            f"پتہ: {LRI}12 High Street, Walsall WS1 1AA{PDI}۔ لنک: {LRI}https://h.example/r/AbC_d-e/{PDI}",
        ),
        # Latin words without digits keep their order by themselves; nothing is added.
        ("FRANK، Haven اور Shift", "FRANK، Haven اور Shift"),
        # Isolated already: left alone.
        (f"{LRI}0121 496 0000{PDI}", f"{LRI}0121 496 0000{PDI}"),
    ],
)
def test_left_to_right_values_are_isolated_in_plain_text(text, isolated):
    assert bidi.isolate_text(text) == isolated


def test_html_isolation_escapes_and_wraps_each_value():
    html = bidi.isolate_html("<b>07911 123456</b> & jas@example.org")
    assert html == (
        '&lt;b&gt;<bdi dir="ltr">07911 123456</bdi>&lt;/b&gt; &amp; '
        '<bdi dir="ltr">jas@example.org</bdi>'
    )


def test_only_right_to_left_languages_are_changed():
    text = "Call 0121 496 0000"
    for language in ("en-gb", "pl", "ro", "pa", "bn"):
        with translation.override(language):
            assert bidi.isolate_text_if_bidi(text) == text
            assert bidi.isolate_html_if_bidi(text) == text
    with translation.override("ur"):
        # (A Latin run is isolated whole: its words and number keep their order together.)
        assert bidi.isolate_text_if_bidi(text) == f"{LRI}Call 0121 496 0000{PDI}"


# --- Her pages in Urdu ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_urdu_phone_error_keeps_its_examples_in_order(client):
    with translation.override("ur"):
        complete(client, SELF, ["about"])
        response = post_step(
            client, SELF, "contact", {**VALID_ANSWERS["contact"], "phone": "not a number"}
        )
    page = response.content.decode()
    assert response.status_code == 200
    # In the field's error and in the error summary.
    assert page.count('<bdi dir="ltr">07123 456 789</bdi>') == 2
    assert page.count('<bdi dir="ltr">0121 496 0000</bdi>') == 2


@pytest.mark.django_db
def test_the_urdu_postcode_hint_keeps_its_example_in_order(client):
    with translation.override("ur"):
        page = client.get(step_url(SELF, "about")).content.decode()
    assert '<bdi dir="ltr">B12</bdi>' in page


@pytest.mark.django_db
def test_the_urdu_check_page_isolates_phone_email_and_postcode(client):
    with translation.override("ur"):
        complete(client, SELF, ["about", "contact", "support", "agreement"])
        page = client.get(step_url(SELF, "check")).content.decode()
    assert '<bdi dir="ltr">07911 123456</bdi>' in page
    assert '<bdi dir="ltr">jas@example.org</bdi>' in page
    assert '<bdi dir="ltr">B12</bdi>' in page


@pytest.mark.django_db
def test_english_pages_are_left_as_they_were(client):
    complete(client, SELF, ["about", "contact", "support", "agreement"])
    page = client.get(step_url(SELF, "check")).content.decode()
    assert "07911 123456" in page
    assert "<bdi" not in page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_the_urdu_confirmation_shows_the_reference_left_to_right(client, settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    TeamFactory(name="Birmingham", postcode_districts=["B12"], is_default=True)
    with translation.override("ur"):
        sent = complete(client, SELF, SELF_STEPS)
    assert sent.url == "/ur/refer/sent/"
    page = client.get(sent.url).content.decode()
    assert 'class="reference-code" dir="ltr"' in page


# --- Messages to her ------------------------------------------------------------------------------


def her(**kwargs):
    defaults = {
        "safe_channels": ["sms", "email"],
        "email": "jas@example.org",
        "safe_days": [],
        "safe_from": None,
        "safe_until": None,
        "may_name_service": False,
    }
    return ReferralFactory(**{**defaults, **kwargs})


@pytest.mark.django_db
def test_the_emailed_reference_is_isolated_in_urdu_only():
    referral = her(reference="K7MP4QXR")
    with translation.override("ur"):
        assert email_her_if_safe(referral, subject="حوالہ", text="آپ کا حوالہ K7MP 4QXR ہے۔")
        assert mail.outbox[-1].body == f"آپ کا حوالہ {LRI}K7MP 4QXR{PDI} ہے۔"
        # The confirmation task goes through the same gate.
        assert send_referral_confirmation(referral.pk)
    assert re.search(f"{LRI}[^{PDI}]*K7MP 4QXR[^{PDI}]*{PDI}", mail.outbox[-1].body)
    with translation.override("en-gb"):
        assert email_her_if_safe(referral, subject="Your reference", text="It is K7MP 4QXR.")
    assert mail.outbox[-1].body == "It is K7MP 4QXR."


@pytest.mark.django_db
def test_a_booking_notice_in_urdu_isolates_the_place(monkeypatch):
    sent = []
    monkeypatch.setattr(
        "core.messaging.gate.backend_for",
        lambda channel: type("Backend", (), {"send": staticmethod(sent.append)}),
    )
    referral = her()
    with translation.override("ur"):
        assert message_her_if_safe(referral, subject="S", text="جگہ: 12 High Street, B12 9QL")
    assert sent[0].text == f"جگہ: {LRI}12 High Street, B12 9QL{PDI}"


@pytest.mark.django_db
def test_an_urdu_reminder_isolates_place_and_link_and_an_english_one_is_plain(
    keyworker, time_machine
):
    time_machine.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False)
    session = GroupSessionFactory(
        starts_at=MOMENT,
        ends_at=MOMENT.replace(hour=16),
        booking_cutoff=MOMENT.replace(hour=12),
        venue=VenueFactory(name="Rtl", address="12 High Street\nWalsall WS1 1AA"),
    )
    referral = her(team=keyworker.team, assigned_to=keyworker, preferred_language="ur")
    booking = book_client(actor=keyworker, referral=referral, session=session)
    reminder = booking.reminders.first()
    message = message_for(reminder, link="https://h.example/r/AbCdEfGhIjKl/")
    assert f"{LRI}12 High Street, Walsall WS1 1AA{PDI}" in message.text
    assert f"{LRI}https://h.example/r/AbCdEfGhIjKl/{PDI}" in message.text
    assert "منگل" in message.text  # Tuesday, in Urdu

    referral.preferred_language = "en"
    referral.save()
    message = message_for(reminder, link="https://h.example/r/AbCdEfGhIjKl/")
    assert LRI not in message.text
    assert "Tue 8 Dec, 14:30" in message.text


# --- Dates as each language writes them -----------------------------------------------------------

WEEKDAY_DATE_TIME = {
    "en-gb": "Tuesday, 8 December 2026, 14:30",
    "pl": "wtorek, 8 grudnia 2026, 14:30",
    "ro": "marți, 8 decembrie 2026, 14:30",
    "ur": "منگل، 8 دسمبر، 2026 14:30",
    "pa": "ਮੰਗਲਵਾਰ, 8 ਦਸੰਬਰ 2026, 14:30",
    "bn": "মঙ্গলবার, 8 ডিসেম্বর, 2026 14:30",
}
SHORT_DATE_TIME = {
    "en-gb": "Tue 8 Dec, 14:30",
    "pl": "wt., 8 gru, 14:30",
    "ro": "mar., 8 dec., 14:30",
    "ur": "منگل، 8 دسمبر 14:30",
    "pa": "ਮੰਗਲ, 8 ਦਸੰ, 14:30",
    "bn": "মঙ্গল 8 ডিসে 14:30",
}
DATE_OF_BIRTH = {
    "en-gb": "27 March 1990",
    "pl": "27 marca 1990",
    "ro": "27 martie 1990",
    "ur": "27 مارچ، 1990",
    "pa": "27 ਮਾਰਚ 1990",
    "bn": "27 মার্চ, 1990",
}


@pytest.mark.parametrize("language", list(WEEKDAY_DATE_TIME))
def test_dates_in_each_language(language):
    with translation.override(language):
        assert dates.weekday_date_time(MOMENT) == WEEKDAY_DATE_TIME[language]
        assert dates.short_date_time(MOMENT) == SHORT_DATE_TIME[language]
        assert dates.day_month_year(date(1990, 3, 27)) == DATE_OF_BIRTH[language]


def test_summer_moments_are_in_london_time():
    summer = datetime(2026, 7, 7, 13, 0, tzinfo=UTC)  # 14:00 BST
    with translation.override("pl"):
        assert dates.weekday_date_time(summer) == "wtorek, 7 lipca 2026, 14:00"


def test_a_language_without_a_locale_gets_british_english():
    with translation.override("other"):
        assert dates.short_date_time(MOMENT) == "Tue 8 Dec, 14:30"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "ro", "ur", "pa", "bn"])
def test_the_check_page_writes_her_date_of_birth_in_her_language(client, language, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 10, 0, tzinfo=UTC), tick=False)
    with translation.override(language):
        # 36 on the day: the age range she chose must agree (the form asks otherwise).
        about = {**VALID_ANSWERS["about"], "date_of_birth": "1990-03-27", "age_range": "35_44"}
        complete(client, SELF, ["about"], {"about": about})
        complete(client, SELF, SELF_STEPS[1:-1])
        page = client.get(step_url(SELF, "check")).content.decode()
    if language == "ur":  # its numbers isolated, as every number on an Urdu page
        assert '<bdi dir="ltr">27</bdi> مارچ، <bdi dir="ltr">1990</bdi>' in page
    else:
        assert DATE_OF_BIRTH[language] in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "ro", "ur", "bn", "pa"])
def test_her_appointment_page_writes_the_date_in_her_language(
    client, keyworker, language, time_machine
):
    time_machine.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False)
    session = GroupSessionFactory(
        starts_at=MOMENT, ends_at=MOMENT.replace(hour=16), booking_cutoff=MOMENT.replace(hour=12)
    )
    referral = her(team=keyworker.team, assigned_to=keyworker, preferred_language=language)
    booking = book_client(actor=keyworker, referral=referral, session=session)
    with override_settings(SITE_URL=""):
        page = client.get(issue_link(booking)).content.decode()
    assert WEEKDAY_DATE_TIME[language] in page
    if language == "ur":
        assert '<bdi dir="ltr">12 High Street</bdi>' in page
        assert '<bdi dir="ltr">Birmingham B12 9QL</bdi>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "ro"])
def test_reminders_write_the_date_in_her_language(language):
    session = GroupSessionFactory(
        starts_at=MOMENT, ends_at=MOMENT.replace(hour=16), booking_cutoff=MOMENT.replace(hour=12)
    )
    chosen = wording.wording_for(language=language, may_name_service=False)
    _subject, text = wording.render(
        chosen, wording.values_for(session, link="L", language=language)
    )
    assert SHORT_DATE_TIME[language] in text
