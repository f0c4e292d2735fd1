"""Staff pages for running the groups: calendar, venues, programmes, sessions and series.

Only service admins (permission ``referrals.configure_service``) see these pages; anyone
else signed in gets 404, so the pages' existence is not revealed (docs/design.md, safety
rule 4). Views only translate HTTP into calls to ``scheduling`` and ``selectors``; a refused
form comes back with everything typed in it and the reasons at the top (status 400).

- ``access``: who may see these pages, and how a form page is drawn;
- ``calendar_pages``: the week and month calendar;
- ``venues_programmes``: the venue and programme lists and forms;
- ``sessions``: adding, changing and cancelling sessions and weekly series;
- ``interpreters``: interpreter requests and the agency's answers;
- ``messages``: reminder wording, with a preview and the discretion check.
"""

from sessions_booking.views.setup.calendar_pages import calendar
from sessions_booking.views.setup.interpreters import (
    interpreter_create,
    interpreter_edit,
    interpreter_requests,
)
from sessions_booking.views.setup.messages import message_template_edit, message_templates
from sessions_booking.views.setup.sessions import (
    series_create,
    series_edit,
    session_cancel,
    session_create,
    session_detail,
    session_edit,
)
from sessions_booking.views.setup.venues_programmes import (
    programme_edit,
    programmes,
    venue_edit,
    venues,
)

__all__ = [
    "calendar",
    "interpreter_create",
    "interpreter_edit",
    "interpreter_requests",
    "message_template_edit",
    "message_templates",
    "programme_edit",
    "programmes",
    "series_create",
    "series_edit",
    "session_cancel",
    "session_create",
    "session_detail",
    "session_edit",
    "venue_edit",
    "venues",
]
