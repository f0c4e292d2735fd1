"""Staff roles. Each role is a Django group of the same name (created by a data migration)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KEYWORKER = "keyworker", _("Keyworker")
    TEAM_LEAD = "team_lead", _("Team lead")
    SERVICE_ADMIN = "service_admin", _("Service admin")

    @property
    def group_name(self) -> str:
        # The group name is the stable value, not the translated label.
        return self.value
