from django.urls import path

from referrals import views

urlpatterns = [
    path("", views.public_home, name="public_home"),
    path("staff/", views.staff_home, name="staff_home"),
]
