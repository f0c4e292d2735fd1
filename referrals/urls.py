from django.urls import path

from referrals.views import audit, case, caseload, home, public

urlpatterns = [
    path("", home.public_home, name="public_home"),
    path("refer/", public.self_referral, name="self_referral"),
    path("refer/sent/", public.referral_confirmation, name="referral_confirmation"),
    path("refer/professional/", public.professional_referral, name="professional_referral"),
    path(
        "refer/professional/<slug:step>/",
        public.professional_referral,
        name="professional_referral_step",
    ),
    path("refer/<slug:step>/", public.self_referral, name="self_referral_step"),
    path("staff/", caseload.staff_home, name="staff_home"),
    path("staff/queue/", caseload.queue, name="team_queue"),
    path("staff/audit/", audit.audit_log, name="audit_log"),
    path("staff/cases/<int:pk>/", case.case_detail, name="case_detail"),
    path("staff/cases/<int:pk>/pick-up/", case.pick_up, name="case_pick_up"),
    path("staff/cases/<int:pk>/assign/", case.assign, name="case_assign"),
    path("staff/cases/<int:pk>/status/", case.change_status, name="case_change_status"),
    path(
        "staff/cases/<int:pk>/contact-attempts/",
        case.record_contact_attempt,
        name="case_record_contact",
    ),
    path("staff/cases/<int:pk>/notes/", case.add_note, name="case_add_note"),
    path("staff/cases/<int:pk>/next-contact/", case.set_next_contact, name="case_next_contact"),
]
