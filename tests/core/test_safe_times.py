"""When and how a machine may contact her: the rules the reminders will use."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.choices import Channel
from core.messaging.safe_contact import SafeContactRules, automated_channel, latest_safe_moment

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def rules(channels=("sms",), days=(), start=None, end=None):
    return SafeContactRules(
        safe_channels=frozenset(channels),
        safe_days=frozenset(days),
        safe_from=start,
        safe_until=end,
    )


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


WEEKDAYS_10_TO_16 = rules(days=range(5), start=time(10), end=time(16))


def test_a_due_time_inside_her_safe_hours_is_kept():
    due = at(2026, 12, 1, 11, 30)  # Tuesday
    assert latest_safe_moment(WEEKDAYS_10_TO_16, due=due, not_before=due - timedelta(days=3)) == due


def test_a_due_time_before_her_hours_moves_to_the_end_of_the_previous_safe_day():
    due = at(2026, 12, 1, 8)  # Tuesday 08:00 -> Monday 15:59
    moved = latest_safe_moment(WEEKDAYS_10_TO_16, due=due, not_before=due - timedelta(days=3))
    assert moved == at(2026, 11, 30, 15, 59)


def test_a_due_time_after_her_hours_moves_to_the_last_minute_that_day():
    due = at(2026, 12, 1, 18)
    assert latest_safe_moment(WEEKDAYS_10_TO_16, due=due, not_before=due - timedelta(days=1)) == at(
        2026, 12, 1, 15, 59
    )


def test_a_weekend_due_time_moves_back_to_friday():
    due = at(2026, 12, 7, 9)  # Monday 09:00, two days after a weekend
    moved = latest_safe_moment(WEEKDAYS_10_TO_16, due=due, not_before=due - timedelta(days=4))
    assert moved == at(2026, 12, 4, 15, 59)


def test_no_safe_moment_before_the_deadline_means_none():
    due = at(2026, 12, 1, 8)
    # Booked at Monday 16:30: nothing safe between then and Tuesday 08:00.
    assert (
        latest_safe_moment(WEEKDAYS_10_TO_16, due=due, not_before=at(2026, 11, 30, 16, 30)) is None
    )
    assert (
        latest_safe_moment(WEEKDAYS_10_TO_16, due=due, not_before=due + timedelta(hours=1)) is None
    )


def test_safe_hours_hold_across_the_autumn_clock_change():
    # Clocks go back at 02:00 BST on Sunday 25 October 2026. Due Monday 26th 09:00 GMT;
    # Sunday is not a safe day, so it moves to Friday 23rd 15:59 BST (14:59 UTC).
    due = at(2026, 10, 26, 9)
    moved = latest_safe_moment(WEEKDAYS_10_TO_16, due=due, not_before=due - timedelta(days=5))
    assert moved == at(2026, 10, 23, 15, 59)
    assert moved.astimezone(UTC).hour == 14
    # Every day: Sunday 25th 15:59 GMT, which is 15:59 UTC.
    every_day = rules(start=time(10), end=time(16))
    moved = latest_safe_moment(every_day, due=due, not_before=due - timedelta(days=5))
    assert moved.astimezone(UTC) == datetime(2026, 10, 25, 15, 59, tzinfo=UTC)


def test_safe_hours_hold_across_the_spring_clock_change():
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026; 01:00-02:00 does not exist.
    early = rules(start=time(1, 30), end=time(3))
    due = at(2026, 3, 29, 4)
    moved = latest_safe_moment(early, due=due, not_before=due - timedelta(hours=12))
    assert moved.astimezone(UTC) == datetime(2026, 3, 29, 1, 59, tzinfo=UTC)  # 02:59 BST


def test_no_limits_means_any_time():
    due = at(2026, 12, 1, 3)
    assert latest_safe_moment(rules(), due=due, not_before=due - timedelta(hours=1)) == due


@pytest.mark.parametrize(
    ("channels", "phone", "email", "expected"),
    [
        (("sms", "email"), "+447911123456", "a@example.org", Channel.SMS),
        (("email",), "+447911123456", "a@example.org", Channel.EMAIL),
        (("sms",), "", "a@example.org", None),
        (("call", "voicemail", "letter"), "+447911123456", "a@example.org", None),
        ((), "+447911123456", "a@example.org", None),
    ],
)
def test_only_a_channel_she_marked_safe_and_gave_details_for_is_used(
    channels, phone, email, expected
):
    assert automated_channel(rules=rules(channels=channels), phone=phone, email=email) == expected
