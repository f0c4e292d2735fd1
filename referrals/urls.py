"""Staff pages of referrals. The public pages are in urls_public.py (language-prefixed)."""

from django.urls import path

from referrals.views import audit, case, caseload, home

urlpatterns = [
    # "Exit this page" on every public page, in every language (views/home.py).
    path("exit/", home.quick_exit, name="quick_exit"),
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
