"""Mounted at /staff/data-protection/ (config/urls.py)."""

from django.urls import path

from dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("", views.index, name="index"),
    path("retention/run/", views.run_retention, name="run_retention"),
    path("processing/", views.processing, name="processing"),
    path("cases/<int:pk>/subject-access/", views.subject_access, name="subject_access"),
    path("cases/<int:pk>/erase/", views.erase, name="erase"),
]
