from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("staff/", views.staff_home, name="staff_home"),
]
