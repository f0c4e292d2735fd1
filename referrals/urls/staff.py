"""Staff pages of referrals (the case, the team queue, the audit log) and the quick exit.
Her pages, in her language, are in urls/public.py."""

from django.urls import path

from referrals.views import audit, case, caseload, public_home

app_name = "referrals"

urlpatterns = [
    # "Exit this page" on every public page, in every language (views/public_home.py).
    path("exit/", public_home.quick_exit, name="quick_exit"),
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
    path(
        "staff/cases/<int:pk>/next-contact/",
        case.set_next_contact,
        name="case_next_contact",
    ),
]
