"""The forms for venues, programmes and dates to skip: lenient dates, women-only by
default, whole-number reminder hours, a venue's crèche kept while sessions need it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sessions_booking.forms import ProgrammeForm, VenueForm, parse_days
from tests.support.group_sessions import (
    BEFORE,
    PROGRAMME_DATA,
)

pytestmark = pytest.mark.django_db


# --- Lenient dates and forms -----------------------------------------------------------------


def test_dates_to_skip_are_read_leniently():
    text = "25/12/2026, 28 Dec 2026\n1st January 2027; 2027-01-04\nMonday, 11 January 2027\n\n"
    assert parse_days(text) == [
        date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1), date(2027, 1, 4),
        date(2027, 1, 11),
    ]  # fmt: skip
    # Without a year: the first such day on or after the series starts.
    assert parse_days("5 Jan", on_or_after=date(2026, 11, 30)) == [date(2027, 1, 5)]


def test_unreadable_dates_to_skip_are_named_in_the_message():
    with pytest.raises(ValidationError) as raised:
        parse_days("25/12/2026, 31/02/2027, next tuesday")
    message = raised.value.messages[0]
    assert "“31/02/2027”" in message
    assert "“next tuesday”" in message
    assert "25/12/2026" not in message.split(":")[1].split(".")[0]


def test_a_programme_is_open_to_everyone_only_with_the_confirmation_ticked():
    form = ProgrammeForm(data=PROGRAMME_DATA)
    assert not form.is_valid()
    assert "Tick the box to confirm" in form.errors["confirm_open_to_everyone"][0]
    form = ProgrammeForm(data={**PROGRAMME_DATA, "confirm_open_to_everyone": "on"})
    assert form.is_valid(), form.errors
    programme = form.save()
    assert not programme.women_only
    assert programme.reminder_offsets_hours == [48, 2]
    # Already open to everyone: editing something else does not ask again.
    form = ProgrammeForm(data={**PROGRAMME_DATA, "name": "Drop-in"}, instance=programme)
    assert form.is_valid(), form.errors


def test_a_new_programme_is_women_only_by_default():
    assert ProgrammeForm().fields["women_only"].initial is True
    form = ProgrammeForm(data={**PROGRAMME_DATA, "women_only": "on"})
    assert form.is_valid(), form.errors
    assert form.save().women_only


def test_reminder_hours_must_be_whole_numbers():
    form = ProgrammeForm(
        data={**PROGRAMME_DATA, "women_only": "on", "reminder_offsets_hours": "48, two"}
    )
    assert not form.is_valid()
    assert "These are not: two" in form.errors["reminder_offsets_hours"][0]


def test_a_venue_keeps_its_creche_while_sessions_to_come_offer_creche_places(
    planned, venue, time_machine
):
    time_machine.move_to(BEFORE)  # `planned` is on 7 December 2026: still to come
    data = {"name": venue.name, "address": venue.address, "is_active": "on"}
    form = VenueForm(data=data, instance=venue)
    assert not form.is_valid()
    assert "1 session still to come here offers crèche places" in (form.errors["creche_on_site"][0])
    planned.creche_places = 0
    planned.save()
    assert VenueForm(data=data, instance=venue).is_valid()
