"""What keyworkers record on a case: status changes, contact attempts and notes."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from core.choices import Channel
from referrals.choices import ClosedReason, ContactOutcome, Status
from referrals.models.referral import LONG_TEXT


class StatusChange(models.Model):
    """One step of the status workflow: who moved the case, when, from what to what."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    closed_reason = models.CharField(max_length=30, choices=ClosedReason.choices, blank=True)
    # Empty when the service itself closed the case (retention: never contacted).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        # The workflow's own history: never rewritten.
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ContactAttempt(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices)
    note = EncryptedTextField(_("note"), null=True, blank=True)

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_outcome_display()}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CaseNote(models.Model):
    """A note on a case. Restricted notes (safeguarding) are for her keyworker and team
    leads only."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    text = EncryptedTextField(_("note"), max_length=LONG_TEXT)
    restricted = models.BooleanField(
        _("restricted (safeguarding)"),
        default=False,
        help_text=_("Only her keyworker and team leads can read restricted notes."),
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Restricted note") if self.restricted else _("Note")
