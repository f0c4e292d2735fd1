"""The dashboard and its CSV exports, mounted at /staff/reports/ (config/urls.py)."""

from django.urls import path

from reports.views import dashboard as views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("caseload.csv", views.export_caseload, name="caseload_csv"),
    path("<slug:slug>.csv", views.export_table, name="table_csv"),
]
