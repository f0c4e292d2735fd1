"""The sending pace every worker shares (core/messaging/pace.py): never faster than the
configured rate in any slice of the minute, and a waiting worker is not kept waiting past
the moment a turn frees; a turn that would come after the caller's deadline is declined;
with Redis not answering, a worker paces itself alone at its share of the rate."""

import threading
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
    # 6 turns at 2 a second: the first second's 2, then two more seconds at least.
    assert time.monotonic() - started >= 2.0 - 0.05


def test_no_second_ever_holds_more_than_its_share_and_nobody_oversleeps():
    """Two threads, each taking 90 ms over every send, share 10 a second: the turns they
    are given never number more than 10 in any second, and the 50 turns take under 4.5 s
    (the first 10 at once, then each as a turn leaves the window). A fixed window whose
    waiting workers slept to a whole-second reset (as Redis' TTL reports it) took 6.2 s."""
    pacers = [Pacer(per_minute=600), Pacer(per_minute=600)]
    moments, lock = [], threading.Lock()

    def send(pacer, count):
        for _ in range(count):
            assert pacer.wait_turn(deadline=time.monotonic() + 30)
            with lock:
                moments.append(time.time())
            time.sleep(0.09)

    started = time.monotonic()
    threads = [threading.Thread(target=send, args=(pacer, 25)) for pacer in pacers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    moments.sort()
    # (Counted where each turn was handed out, a few ms after Redis' own moment: so a
    # second is taken as 0.95 s here.)
    for i, start in enumerate(moments):
        assert sum(1 for moment in moments[i:] if moment < start + 0.95) <= 10, [
            round(m - moments[0], 3) for m in moments
        ]
    assert 4.0 - 0.05 <= took < 5.2, took


def test_a_turn_after_the_deadline_is_declined(settings):
    pacer = Pacer(per_minute=60)  # 1 a second
    assert pacer.wait_turn(deadline=time.monotonic() + 5)
    started = time.monotonic()
    assert not pacer.wait_turn(deadline=time.monotonic() + 0.1)
    assert time.monotonic() - started < 0.5  # it did not wait for a turn it cannot use


def test_without_redis_a_worker_paces_itself_alone_at_its_share(caplog):
    # 120 a minute shared by 2 senders: alone, each sends one a second.
    pacer = Pacer(per_minute=120, senders=2, redis_url="redis://127.0.0.1:1/0")  # no Redis
    started = time.monotonic()
    for _ in range(3):
        assert pacer.wait_turn(deadline=time.monotonic() + 30)
    assert time.monotonic() - started >= 2.0 - 0.05  # one a second, not two
    assert "pacing alone" in caplog.text


def test_no_pace_at_all_when_the_rate_is_zero():
    pacer = Pacer(per_minute=0, redis_url="redis://127.0.0.1:1/0")  # Redis is not even asked
    started = time.monotonic()
    assert all(pacer.wait_turn(deadline=time.monotonic() + 1) for _ in range(1000))
    assert time.monotonic() - started < 1.0


@pytest.mark.django_db
def test_every_other_message_to_her_takes_its_turn_too_and_none_is_a_temporary_failure(
    monkeypatch,
):
    """A place come up, a session cancelled: notices to her share the reminders' pace. With
    no turn in time nothing is sent and the notice is tried again later (a temporary
    failure, as notices.services retries)."""
    from core.messaging import gate
    from core.messaging.delivery import TemporaryFailure
    from tests.support.factories import ReferralFactory

    sent, turns = [], []
    monkeypatch.setattr(
        gate, "backend_for", lambda channel: type("B", (), {"send": staticmethod(sent.append)})
    )

    def wait_turn(self, *, deadline):
        turns.append(deadline - time.monotonic())
        return len(turns) == 1

    monkeypatch.setattr(Pacer, "wait_turn", wait_turn)
    her = ReferralFactory(safe_channels=["sms"], safe_days=[], safe_from=None, safe_until=None)
    assert gate.message_her_if_safe(her, subject="S", text="A place has come up.")
    with pytest.raises(TemporaryFailure, match="No turn"):
        gate.message_her_if_safe(her, subject="S", text="A place has come up.")
    assert len(sent) == 1
    assert all(0 < wait <= gate.TURN_WAIT_SECONDS for wait in turns)


def test_a_place_freed_between_the_refusal_and_the_look_is_taken_at_once(monkeypatch, caplog):
    """Another worker's turn left the window between this worker's refused hit and its look
    at the windows: nothing is full, so it asks again at once (it does not take that for
    Redis being down and start pacing alone)."""
    pacer = Pacer(per_minute=600)
    refusals, original = [False], Pacer._hit
    monkeypatch.setattr(Pacer, "_hit", lambda self: refusals.pop() if refusals else original(self))
    started = time.monotonic()
    assert pacer.wait_turn(deadline=time.monotonic() + 5)
    assert time.monotonic() - started < 0.5
    assert "pacing alone" not in caplog.text


def test_every_pacer_in_a_process_shares_one_connection_pool_per_redis():
    """A Pacer is made for every sweep and every notice to her: they must not each open
    their own connections to Redis."""
    first, second = Pacer(per_minute=60), Pacer(per_minute=120)
    assert first.limiter is second.limiter
    assert Pacer(per_minute=60, redis_url="redis://127.0.0.1:1/0").limiter is not first.limiter


def test_one_percent_of_each_minute_is_kept_free_whatever_the_slices_allow():
    """3,000 a minute: 50 in any second, and 2,970 in any 60 seconds. With the minute's
    2,970 taken (here by turns recorded straight into its window), no turn is given
    though the second's slice is free."""
    pacer = Pacer(per_minute=3000)
    slices, minute = pacer.items
    assert (slices.amount, slices.get_expiry()) == (50, 1)
    assert (minute.amount, minute.get_expiry()) == (2970, 60)
    assert pace.minute_cap(60).amount == 59  # at least one kept free
    small = Pacer(per_minute=60)  # one a second, 59 a minute
    _slice, small_minute = small.items
    for _ in range(59):
        assert small.limiter.hit(small_minute, pace.KEY)
    started = time.monotonic()
    assert not small.wait_turn(deadline=time.monotonic() + 1.0)
    assert time.monotonic() - started < 0.5  # the minute frees only in ~60 s: not waited for
