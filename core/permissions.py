"""Who may do what: every permission Haven checks, the roles that hold them, and the view
decorator that guards a staff page. This is the one place a permission's name is written.

The permissions are declared on ``referrals.Referral`` (``Referral.Meta.permissions`` is
``PERMISSIONS``), so their full names start with ``referrals.``; that is where the database
has always kept them, and moving them would mean re-granting every role."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

# (codename, description), in the order the migrations created them.
PERMISSIONS = [
    ("work_own_cases", "Can work on own caseload"),
    ("pick_up_referral", "Can pick up referrals from the team queue"),
    ("manage_team_cases", "Can see, assign and reassign every case in the team"),
    ("reopen_referral", "Can reopen closed cases"),
    ("view_team_audit", "Can read the team's audit log"),
    ("view_all_audit", "Can read the whole audit log"),
    ("configure_service", "Can configure venues, programmes and sessions"),
    ("invite_staff", "Can invite staff and set their roles"),
    ("view_team_reports", "Can see the team's dashboard (figures for the team)"),
    ("export_team_caseload", "Can export the team's caseload as CSV"),
    ("view_service_reports", "Can see the service-wide dashboard (aggregate only)"),
    (
        "manage_data_protection",
        "Can see retention and the record of processing, and run retention",
    ),
    (
        "handle_subject_requests",
        "Can produce her subject access copy and erase her data",
    ),
]

WORK_OWN_CASES = "referrals.work_own_cases"
PICK_UP_REFERRAL = "referrals.pick_up_referral"
MANAGE_TEAM_CASES = "referrals.manage_team_cases"
REOPEN_REFERRAL = "referrals.reopen_referral"
VIEW_TEAM_AUDIT = "referrals.view_team_audit"
VIEW_ALL_AUDIT = "referrals.view_all_audit"
CONFIGURE_SERVICE = "referrals.configure_service"
INVITE_STAFF = "referrals.invite_staff"
VIEW_TEAM_REPORTS = "referrals.view_team_reports"
EXPORT_TEAM_CASELOAD = "referrals.export_team_caseload"
VIEW_SERVICE_REPORTS = "referrals.view_service_reports"
MANAGE_DATA_PROTECTION = "referrals.manage_data_protection"
HANDLE_SUBJECT_REQUESTS = "referrals.handle_subject_requests"


class Role(models.TextChoices):
    KEYWORKER = "keyworker", _("Keyworker")
    TEAM_LEAD = "team_lead", _("Team lead")
    SERVICE_ADMIN = "service_admin", _("Service admin")
    # Subject access and erasure read and remove her full details: a role of its own, given
    # per person on the people pages, never part of being a service admin.
    DATA_PROTECTION = "data_protection", _("Data protection")

    @property
    def group_name(self) -> str:
        # The group name is the stable value, not the translated label.
        return self.value


# What each role may do (codenames). The data migration accounts/0004 granted these; the
# tests check the roles' groups and this table agree.
ROLE_PERMISSIONS = {
    Role.KEYWORKER: {"work_own_cases", "pick_up_referral"},
    Role.TEAM_LEAD: {
        "work_own_cases",
        "pick_up_referral",
        "manage_team_cases",
        "reopen_referral",
        "view_team_audit",
        "view_team_reports",
        "export_team_caseload",
    },
    Role.SERVICE_ADMIN: {
        "configure_service",
        "invite_staff",
        "view_all_audit",
        "view_service_reports",
        "manage_data_protection",
    },
    Role.DATA_PROTECTION: {"handle_subject_requests"},
}


def permission_or_404(*permissions: str):
    """A view decorator: signed-out visitors go to sign in; signed-in staff holding none of
    ``permissions`` get 404, so a page they may not use is not revealed to exist."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(request.user.has_perm(permission) for permission in permissions):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# The service admins' pages (setting up groups, the reminder wording).
service_admins_only = permission_or_404(CONFIGURE_SERVICE)
