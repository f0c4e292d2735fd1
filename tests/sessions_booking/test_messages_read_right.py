"""Messages that read right: a venue address typed on several lines is one line in every
message and calendar file; no message asks her to reply (nobody reads replies); and the
wording list shows how many SMS parts each language's reminder takes."""

import re

import pytest
from django.urls import reverse

from sessions_booking.rules import wording
from sessions_booking.rules.wording import REPLY_WORDS, one_line
from sessions_booking.tasks import describe
from sessions_booking.views.calendar_file import booking_calendar
from tests.support.factories import GroupSessionFactory, ReferralFactory, VenueFactory

pytestmark = pytest.mark.django_db

TYPED = "Rose House,\r\n  12 High Street\n\nWalsall,\nWS1 1AA\n"
ONE_LINE = "Rose House, 12 High Street, Walsall, WS1 1AA"


def test_an_address_on_several_lines_is_one_line_everywhere(keyworker):
    assert one_line(TYPED) == ONE_LINE
    session = GroupSessionFactory(venue=VenueFactory(name="Rose", address=TYPED))
    assert wording.values_for(session, link="", language="en")["where"] == ONE_LINE
    assert describe(session).endswith(ONE_LINE)  # notices: promoted, cancelled, changed
    from sessions_booking.services.booking import book_client

    her = ReferralFactory(team=keyworker.team, assigned_to=keyworker)
    booking = book_client(actor=keyworker, referral=her, session=session)
    ics = booking_calendar(booking).decode()
    location = re.search(r"^LOCATION:(.*)$", ics, re.M)[1].strip()
    assert location.replace("\\,", ",") == ONE_LINE


@pytest.mark.parametrize("language", list(REPLY_WORDS))
def test_wording_that_asks_her_to_reply_is_refused_in_every_language(language):
    ask = REPLY_WORDS[language][0]
    text = f"{{when}} {{where}} {ask} {{link}}"
    found = wording.problems(subject="x", text=text, language=language, names_service=False)
    assert any("do not ask her to reply" in problem for problem in found)


def test_no_built_in_message_asks_her_to_reply():
    for (language, _named), (subject, text) in wording.DEFAULTS.items():
        folded = f"{subject} {text}".casefold()
        for word in REPLY_WORDS["en"] + REPLY_WORDS.get(language, ()):
            assert word not in folded, (language, word)


def test_the_wording_list_shows_each_reminders_sms_parts(admin_client):
    page = admin_client.get(reverse("sessions_booking:setup_messages")).content.decode()
    # Every language's discreet reminder, as she would get it, with its parts.
    assert len(re.findall(r"\d+ parts? \(\d+ characters\)", page)) >= 6
    english = wording.DEFAULTS[("en", False)]
    preview = wording.sms_fragments(
        wording.render(
            wording.Wording("en", False, *english),
            {"when": "Tue 3 Dec 10:00", "where": "12 High Street, Walsall",
             "link": "http://127.0.0.1:8000/r/Ab3dEf7hJk9m/", "programme": "", "service": ""},
        )[1]
    )  # fmt: skip
    assert f"{preview} part" in page
