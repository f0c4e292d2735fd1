"""Staff roles. Each role is a Django group of the same name (created by a data migration)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


# What each role may do, as Django permissions (codename on referrals.Referral). The data
# migration accounts/0004 grants these; tests/accounts/test_staff_access.py checks the two agree.
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
