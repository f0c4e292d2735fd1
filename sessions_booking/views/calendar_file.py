"""An .ics file for a booking. Discreet: the title names nothing unless she allowed it."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from sessions_booking.rules.wording import one_line


def booking_calendar(booking) -> bytes:
    session, referral = booking.session, booking.referral
    calendar = Calendar()
    calendar.add("prodid", "-//Appointments//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"booking-{booking.pk}@appointments")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    if referral.may_name_service:
        event.add("summary", f"{settings.SERVICE_NAME}: {session.programme.name}")
    else:
        event.add("summary", _("Appointment"))
    event.add("location", one_line(session.venue.address))
    calendar.add_component(event)
    return calendar.to_ical()
