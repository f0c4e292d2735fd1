from django.urls import path

from referrals.reports import views

urlpatterns = [
    path("", views.dashboard, name="reports_dashboard"),
    path("caseload.csv", views.export_caseload, name="reports_caseload_csv"),
    path("<slug:slug>.csv", views.export_table, name="reports_table_csv"),
]
