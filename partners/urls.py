"""The partner directory and her support plan (staff pages)."""

from django.urls import path

from partners.views import directory, support

app_name = "partners"

urlpatterns = [
    path("staff/partners/", directory.partner_list, name="directory"),
    path("staff/partners/organisations/new/", directory.organisation_new, name="organisation_new"),
    path(
        "staff/partners/organisations/<int:pk>/",
        directory.organisation_edit,
        name="organisation_edit",
    ),
    path("staff/partners/services/new/", directory.service_new, name="service_new"),
    path("staff/partners/services/<int:pk>/", directory.service_edit, name="service_edit"),
    path("staff/cases/<int:pk>/support/", support.support_plan_page, name="support_plan"),
    path("staff/cases/<int:pk>/support/needs/", support.record_need, name="record_need"),
    path(
        "staff/cases/<int:pk>/support/needs/from-referral/",
        support.add_need_from_referral,
        name="need_from_referral",
    ),
    path(
        "staff/cases/<int:pk>/support/needs/<int:need_id>/close/",
        support.close_need,
        name="close_need",
    ),
    path("staff/cases/<int:pk>/support/refer/", support.refer, name="refer"),
    path(
        "staff/cases/<int:pk>/support/referrals/<int:onward_id>/step/",
        support.record_step,
        name="record_step",
    ),
    path(
        "staff/cases/<int:pk>/support/referrals/<int:onward_id>/chase/",
        support.chase,
        name="chase",
    ),
    path("staff/cases/<int:pk>/support/risk/", support.record_risk, name="record_risk"),
]
