"""Mounted at /staff/data-protection/ (config/urls.py)."""

from django.urls import path

from referrals.dataprotection import views

urlpatterns = [
    path("", views.index, name="dp_index"),
    path("retention/run/", views.run_retention, name="dp_run_retention"),
    path("processing/", views.processing, name="dp_processing"),
    path("cases/<int:pk>/subject-access/", views.subject_access, name="dp_subject_access"),
    path("cases/<int:pk>/erase/", views.erase, name="dp_erase"),
]
