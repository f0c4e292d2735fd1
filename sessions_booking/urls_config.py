"""Service admins' pages for running the groups, mounted at /staff/groups/ (config/urls.py)."""

from django.urls import path

from sessions_booking import views_config as views

urlpatterns = [
    path("", views.calendar, name="config_calendar"),
    path("venues/", views.venues, name="config_venues"),
    path("venues/new/", views.venue_edit, name="config_venue_create"),
    path("venues/<int:pk>/", views.venue_edit, name="config_venue_edit"),
    path("programmes/", views.programmes, name="config_programmes"),
    path("programmes/new/", views.programme_edit, name="config_programme_create"),
    path("programmes/<int:pk>/", views.programme_edit, name="config_programme_edit"),
    path("sessions/new/", views.session_create, name="config_session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="config_session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="config_session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="config_session_cancel"),
    path("series/new/", views.series_create, name="config_series_create"),
    path("series/<int:pk>/edit/", views.series_edit, name="config_series_edit"),
    path("messages/", views.message_templates, name="config_messages"),
    path(
        "messages/<str:language>/<str:kind>/",
        views.message_template_edit,
        name="config_message_edit",
    ),
]
