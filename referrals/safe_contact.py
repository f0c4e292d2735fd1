"""A woman's safe-contact rules as plain functions (DESIGN.md section 3, rule 3).

Used by the referral form (to decide whether any confirmation may be sent), by keyworkers'
screens and by the reminders.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone

from referrals.choices import Channel


@dataclass(frozen=True)
class SafeContactRules:
    safe_channels: frozenset[str]
    safe_days: frozenset[int]  # 0 = Monday; empty means any day
    safe_from: time | None  # both None means any time of day
    safe_until: time | None

    @classmethod
    def for_referral(cls, referral) -> "SafeContactRules":
        return cls(
            safe_channels=frozenset(referral.safe_channels),
            safe_days=frozenset(referral.safe_days),
            safe_from=referral.safe_from,
            safe_until=referral.safe_until,
        )

    def channel_is_safe(self, channel: Channel | str) -> bool:
        return str(channel) in self.safe_channels

    def moment_is_safe(self, moment: datetime) -> bool:
        local = timezone.localtime(moment)
        if self.safe_days and local.weekday() not in self.safe_days:
            return False
        if self.safe_from is not None and local.time() < self.safe_from:
            return False
        return not (self.safe_until is not None and local.time() >= self.safe_until)

    def may_send_now(self, channel: Channel | str, *, now: datetime | None = None) -> bool:
        return self.channel_is_safe(channel) and self.moment_is_safe(now or timezone.now())
