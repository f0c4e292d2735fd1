"""The sending pace every worker shares (core/messaging/pace.py): never faster than the
configured rate, in slices of the minute; a turn that would come after the caller's
deadline is declined; with Redis not answering, a worker paces itself alone."""

import time
import uuid

import pytest

from core.messaging import pace
from core.messaging.pace import Pacer, window


@pytest.fixture(autouse=True)
def own_key(monkeypatch):
    monkeypatch.setattr(pace, "KEY", f"test-pace-{uuid.uuid4().hex}")


def test_the_rate_is_cut_into_the_smallest_even_slices():
    assert (window(3000).amount, window(3000).multiples) == (50, 1)
    assert (window(100).amount, window(100).multiples) == (5, 3)
    assert (window(7).amount, window(7).multiples) == (7, 60)


def test_two_pacers_share_one_pace(settings):
    first, second = Pacer(per_minute=120), Pacer(per_minute=120)  # 2 a second, together
    started = time.monotonic()
    for n in range(6):
        assert (first if n % 2 else second).wait_turn(deadline=time.monotonic() + 30)
    # 6 turns at 2 a second: the first window's 2, then two more windows at least.
    assert time.monotonic() - started >= 2.0 - 0.05


def test_a_turn_after_the_deadline_is_declined(settings):
    pacer = Pacer(per_minute=60)  # 1 a second
    assert pacer.wait_turn(deadline=time.monotonic() + 5)
    started = time.monotonic()
    assert not pacer.wait_turn(deadline=time.monotonic() + 0.1)
    assert time.monotonic() - started < 0.5  # it did not wait for a turn it cannot use


def test_without_redis_a_worker_paces_itself_alone(caplog):
    pacer = Pacer(per_minute=60, redis_url="redis://127.0.0.1:1/0")  # nothing listens there
    started = time.monotonic()
    for _ in range(3):
        assert pacer.wait_turn(deadline=time.monotonic() + 30)
    assert time.monotonic() - started >= 2.0 - 0.05  # one a second
    assert "pacing alone" in caplog.text


def test_no_pace_at_all_when_the_rate_is_zero():
    pacer = Pacer(per_minute=0, redis_url="redis://127.0.0.1:1/0")  # Redis is not even asked
    started = time.monotonic()
    assert all(pacer.wait_turn(deadline=time.monotonic() + 1) for _ in range(1000))
    assert time.monotonic() - started < 1.0
