"""Mounted at /staff/people/ (config/urls.py)."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.people, name="staff_people"),
    path("invite/", views.invite, name="staff_invite"),
    path("<int:pk>/deactivate/", views.deactivate, name="staff_deactivate"),
    path("<int:pk>/roles/", views.change_roles, name="staff_roles"),
    path("keepalive/", views.keep_session_alive, name="staff_keepalive"),
]
