from django.urls import path

from sessions_booking import views_link

urlpatterns = [
    path("<str:token>/", views_link.booking_link, name="booking_link"),
]
