from django.apps import AppConfig


class SessionsBookingConfig(AppConfig):
    name = "sessions_booking"
    verbose_name = "Group sessions and bookings"
