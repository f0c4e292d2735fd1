"""Every page of the groups app, mounted at the site's root (config/urls.py)."""

from django.urls import path

from sessions_booking.views import booking, link, receipts, setup

app_name = "sessions_booking"

urlpatterns = [
    # Keyworkers: booking her into groups, the roster and attendance.
    path("staff/cases/<int:pk>/groups/", booking.book_sessions, name="book_sessions"),
    # GOV.UK Notify's delivery receipts (a server-to-server callback with a bearer token).
    path("notify/delivery-status/", receipts.delivery_status, name="notify_delivery_status"),
    path("staff/cases/<int:pk>/book/", booking.book, name="case_book"),
    path("staff/bookings/<int:pk>/cancel/", booking.cancel, name="booking_cancel"),
    path("staff/reminders/<int:pk>/resend/", booking.resend, name="reminder_resend"),
    path(
        "staff/bookings/<int:pk>/appointment.ics",
        booking.calendar_file,
        name="booking_ics",
    ),
    path("staff/sessions/<int:pk>/roster/", booking.roster, name="session_roster"),
    path(
        "staff/sessions/<int:pk>/attendance/",
        booking.attendance,
        name="session_attendance",
    ),
    # Service admins: setting up the groups.
    path("staff/groups/", setup.calendar, name="setup_calendar"),
    path("staff/groups/venues/", setup.venues, name="setup_venues"),
    path("staff/groups/venues/new/", setup.venue_edit, name="setup_venue_create"),
    path("staff/groups/venues/<int:pk>/", setup.venue_edit, name="setup_venue_edit"),
    path("staff/groups/programmes/", setup.programmes, name="setup_programmes"),
    path("staff/groups/programmes/new/", setup.programme_edit, name="setup_programme_create"),
    path("staff/groups/programmes/<int:pk>/", setup.programme_edit, name="setup_programme_edit"),
    path("staff/groups/sessions/new/", setup.session_create, name="setup_session_create"),
    path("staff/groups/sessions/<int:pk>/", setup.session_detail, name="setup_session_detail"),
    path("staff/groups/sessions/<int:pk>/edit/", setup.session_edit, name="setup_session_edit"),
    path(
        "staff/groups/sessions/<int:pk>/cancel/",
        setup.session_cancel,
        name="setup_session_cancel",
    ),
    path("staff/groups/interpreters/", setup.interpreter_requests, name="setup_interpreters"),
    path(
        "staff/groups/interpreters/<int:pk>/",
        setup.interpreter_edit,
        name="setup_interpreter_edit",
    ),
    path(
        "staff/groups/sessions/<int:pk>/interpreters/new/",
        setup.interpreter_create,
        name="setup_interpreter_create",
    ),
    path("staff/groups/series/new/", setup.series_create, name="setup_series_create"),
    path("staff/groups/series/<int:pk>/edit/", setup.series_edit, name="setup_series_edit"),
    path("staff/groups/messages/", setup.message_templates, name="setup_messages"),
    path(
        "staff/groups/messages/<str:language>/<str:kind>/",
        setup.message_template_edit,
        name="setup_message_edit",
    ),
    # Her confirm/cancel link in each reminder: short, for SMS.
    path("r/<str:token>/", link.booking_link, name="booking_link"),
]
