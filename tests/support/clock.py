"""Run the whole suite on another day: ``pytest --clock=year-ahead`` (or ``HAVEN_TEST_CLOCK``).

Haven's rules depend on the calendar (booking cut-offs, safe times, clock changes, waiting
times in working days), so a suite that passes only on the day it was written is no proof.
With a clock given, every test starts at that moment and time runs on from there
(time-machine, ``tick=True``); a test that needs a particular date still freezes its own
clock inside it. Processes a test starts get the same moved clock (``child_environment``).

Clocks (all relative to the real date, so they stay in the future as the calendar moves on):

``real``            the machine's clock (the default)
``year-ahead``      now plus 365 days
``spring-forward``  the next last Sunday of March at 00:30 UTC: half an hour before the UK
                    clocks go forward, so "later today" crosses a day 23 hours long
``fall-back``       the next last Sunday of October at 00:30 UTC, which is 01:30 BST: the
                    first of the two 01:30s that day, the hour the UK clocks repeat
an ISO 8601 moment  with its offset, e.g. ``2031-02-28T23:59:30+00:00``
"""

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

CLOCK_VARIABLE = "HAVEN_TEST_CLOCK"
# Read by tests/support/child_clock/sitecustomize.py in processes a test starts.
SHIFT_VARIABLE = "HAVEN_TEST_CLOCK_SHIFT_SECONDS"
CHILD_CLOCK_DIR = Path(__file__).resolve().parent / "child_clock"


def last_sunday(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    last_day = first_of_next - timedelta(days=1)
    return last_day - timedelta(days=(last_day.weekday() - 6) % 7)


def next_last_sunday_at_half_past_midnight(month: int, *, today: date) -> datetime:
    for year in (today.year, today.year + 1):
        sunday = last_sunday(year, month)
        if sunday > today:
            return datetime(sunday.year, sunday.month, sunday.day, 0, 30, tzinfo=UTC)
    raise AssertionError("unreachable: next year's last Sunday is always ahead")


def destination(clock: str, *, real_now: datetime) -> datetime | None:
    """The moment every test starts at, or None for the real clock."""
    if clock in ("", "real"):
        return None
    if clock == "year-ahead":
        return real_now + timedelta(days=365)
    if clock == "spring-forward":
        return next_last_sunday_at_half_past_midnight(3, today=real_now.date())
    if clock == "fall-back":
        return next_last_sunday_at_half_past_midnight(10, today=real_now.date())
    try:
        moment = datetime.fromisoformat(clock)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise pytest.UsageError(
            f"--clock={clock!r}: use real, year-ahead, spring-forward, fall-back or an "
            "ISO 8601 moment with its offset"
        )
    return moment


def real_time() -> float:
    """The machine's clock, whatever the test's clock says."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


def child_environment() -> dict[str, str]:
    """What a process started now needs to share this test's clock (empty on the real
    clock). Its sitecustomize moves the child's clock by the same amount at start-up."""
    shift = time.time() - real_time()
    if abs(shift) < 1:
        return {}
    python_path = [str(CHILD_CLOCK_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {SHIFT_VARIABLE: f"{shift:.6f}", "PYTHONPATH": os.pathsep.join(python_path)}


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get(CLOCK_VARIABLE, "real"),
        help="start every test at this moment: real, year-ahead, spring-forward, fall-back "
        f"or an ISO 8601 moment with offset (default: ${CLOCK_VARIABLE} or real)",
    )


def pytest_configure(config):
    moment = destination(config.getoption("--clock"), real_now=datetime.now(UTC))
    config.stash[clock_key] = moment


def pytest_report_header(config):
    moment = config.stash[clock_key]
    if moment is None:
        return "clock: real"
    return f"clock: every test starts at {moment.isoformat()} and runs on from there"


clock_key = pytest.StashKey[datetime | None]()


@pytest.fixture(autouse=True)
def moved_clock(request):
    moment = request.config.stash[clock_key]
    if moment is None:
        yield None
        return
    with time_machine.travel(moment, tick=True):
        yield moment
