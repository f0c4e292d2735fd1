import pgtrigger
from django.conf import settings
from django.db import models

from core.choices import AuditAction


class AuditEvent(models.Model):
    """Append-only record of who looked at or did what to a case (docs/design.md, safety
    rule 4). Field-level before/after values are kept by pghistory's event tables; this
    table records actions, including views and exports, which change nothing.

    A database trigger refuses UPDATE and DELETE, so no code path, admin or shell can
    rewrite history."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Empty when the woman herself acted (through her reminder link).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        # The table keeps the name it had when the model lived in referrals (migration
        # core/0001 moved the model's state, not the table or its rows).
        db_table = "referrals_auditevent"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["team", "-at"], name="audit_team_time_idx")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action}"
