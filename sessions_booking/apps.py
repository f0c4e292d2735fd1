from django.apps import AppConfig


class SessionsBookingConfig(AppConfig):
    name = "sessions_booking"
    verbose_name = "Group sessions and bookings"

    def ready(self):
        from notices.registry import register
        from sessions_booking import notices

        for kind, handler in notices.HANDLERS.items():
            register(kind, handler)
