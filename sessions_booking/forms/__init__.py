"""Forms service admins use to set up venues, programmes and sessions.

Forms check what can be checked from the input alone (a number is a number, a date is a
date); the scheduling rules (nothing in the past, no crèche places without a crèche, places
not below bookings) live in ``scheduling`` and ``session_rules`` and come back through
``add_service_errors`` so every message is shown beside the field it is about.

- ``inputs``: lenient reading of dates and hours, and the number, date and time fields;
- ``choices``: which venues, programmes and staff are offered;
- ``venues_programmes``: ``VenueForm`` and ``ProgrammeForm``;
- ``sessions``: ``SessionForm``, ``SeriesForm`` and ``SeriesEditForm``;
- ``messages``: ``MessageTemplateForm`` (reminder wording).
"""

from sessions_booking.forms.inputs import HoursListField, parse_day, parse_days
from sessions_booking.forms.messages import MessageTemplateForm
from sessions_booking.forms.querysets import active_staff, in_use, programme_label
from sessions_booking.forms.sessions import (
    SeriesEditForm,
    SeriesForm,
    ServiceErrorsMixin,
    SessionChoicesMixin,
    SessionForm,
)
from sessions_booking.forms.venues_programmes import (
    CONFIRM_OPEN_TO_EVERYONE,
    ProgrammeForm,
    VenueForm,
)

__all__ = [
    "CONFIRM_OPEN_TO_EVERYONE",
    "HoursListField",
    "MessageTemplateForm",
    "ProgrammeForm",
    "SeriesEditForm",
    "SeriesForm",
    "ServiceErrorsMixin",
    "SessionChoicesMixin",
    "SessionForm",
    "VenueForm",
    "active_staff",
    "in_use",
    "parse_day",
    "parse_days",
    "programme_label",
]
