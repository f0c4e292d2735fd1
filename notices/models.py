from django.db import models
from django.db.models import Q
from django.utils import timezone

WAITING = Q(sent_at__isnull=True, given_up_at__isnull=True)


class Notice(models.Model):
    """One message a committed change still has to cause. It holds no personal details: only
    what kind of notice it is and the id of the row its handler reads when it is sent."""

    kind = models.CharField(max_length=80)
    subject_id = models.BigIntegerField(help_text="The referral or booking the notice is about.")
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["due_at", "id"], condition=WAITING, name="notice_waiting"),
            models.Index(fields=["sent_at"], condition=Q(sent_at__isnull=False),
                         name="notice_sent"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.kind} #{self.subject_id}"
