from django.apps import AppConfig


class SessionsBookingConfig(AppConfig):
    name = "sessions_booking"
    verbose_name = "Group sessions and bookings"

    def ready(self):
        from core import case_flags, case_timeline
        from notices.registry import register
        from sessions_booking import notices
        from sessions_booking.case_flags import undelivered_reminders
        from sessions_booking.timeline import booking_stages

        for kind, handler in notices.HANDLERS.items():
            register(kind, handler)
        case_timeline.register(booking_stages)
        case_flags.register(undelivered_reminders)
