from django.urls import path

from sessions_booking import views_booking

urlpatterns = [
    path("cases/<int:pk>/groups/", views_booking.book_sessions, name="book_sessions"),
    path("cases/<int:pk>/book/", views_booking.book, name="case_book"),
    path("bookings/<int:pk>/cancel/", views_booking.cancel, name="booking_cancel"),
    path("reminders/<int:pk>/resend/", views_booking.resend, name="reminder_resend"),
    path("bookings/<int:pk>/appointment.ics", views_booking.calendar_file, name="booking_ics"),
    path("sessions/<int:pk>/roster/", views_booking.roster, name="session_roster"),
    path("sessions/<int:pk>/attendance/", views_booking.attendance, name="session_attendance"),
]
