"""The notices booking changes cause (``notices``): kind -> the function that delivers it."""

PROMOTED = "sessions_booking.promoted"
SESSION_CANCELLED = "sessions_booking.session_cancelled"
SESSION_CHANGED = "sessions_booking.session_changed"
SHE_CANCELLED = "sessions_booking.she_cancelled"

HANDLERS = {
    PROMOTED: "sessions_booking.tasks.tell_about_promotion",
    SESSION_CANCELLED: "sessions_booking.tasks.tell_about_cancelled_session",
    SESSION_CHANGED: "sessions_booking.tasks.tell_about_changed_session",
    SHE_CANCELLED: "sessions_booking.tasks.tell_keyworker_she_cancelled",
}
