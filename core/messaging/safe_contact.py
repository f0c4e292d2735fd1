"""A woman's safe-contact rules as plain functions (docs/design.md, safety rule 3).

Used by the referral form (to decide whether any confirmation may be sent), by keyworkers'
screens and by the reminders.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from core.choices import Channel


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


# Channels a machine can use on its own: a call or a voicemail needs a person.
AUTOMATED_CHANNELS = (Channel.SMS, Channel.EMAIL)
LAST_MINUTE = timedelta(minutes=1)


def automated_channel(*, rules: SafeContactRules, phone: str, email: str) -> Channel | None:
    """SMS if she marked it safe and gave a number, else email likewise, else None (then a
    keyworker has to call her within her safe times instead)."""
    if rules.channel_is_safe(Channel.SMS) and phone:
        return Channel.SMS
    if rules.channel_is_safe(Channel.EMAIL) and email:
        return Channel.EMAIL
    return None


def _local(day: date, at: time) -> datetime:
    """``at`` on ``day`` in the service's time zone, as an aware datetime. A wall-clock time
    skipped when the clocks go forward is moved on by the gap (zoneinfo's fold=0 rule,
    normalised through UTC)."""
    zone = timezone.get_current_timezone()
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).astimezone(zone)


def latest_safe_moment(
    rules: SafeContactRules, *, due: datetime, not_before: datetime
) -> datetime | None:
    """The latest moment no later than ``due`` and no earlier than ``not_before`` that falls
    within her safe days and hours, or None if there is none. Reminders use it: a reminder
    due outside her safe times is brought forward, never sent late."""
    if due < not_before:
        return None
    if rules.moment_is_safe(due):
        return due
    day = timezone.localtime(due).date()
    last_day = timezone.localtime(not_before).date()
    while day >= last_day:
        if not rules.safe_days or day.weekday() in rules.safe_days:
            opens = _local(day, rules.safe_from or time.min)
            closes = (
                _local(day, rules.safe_until)
                if rules.safe_until is not None
                else _local(day + timedelta(days=1), time.min)
            )
            candidate = min(due, closes - LAST_MINUTE)
            if opens <= candidate and candidate >= not_before and rules.moment_is_safe(candidate):
                return candidate
        day -= timedelta(days=1)
    return None
