"""The people pages, mounted at /staff/people/ (config/urls.py)."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.people, name="people"),
    path("invite/", views.invite, name="invite"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/roles/", views.change_roles, name="roles"),
    path("keepalive/", views.keep_session_alive, name="keepalive"),
]
