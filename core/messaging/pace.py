"""One sending pace for every worker: messages to women leave at most
``MESSAGES_PER_MINUTE`` a minute in all (GOV.UK Notify accepts 3,000 a minute per service),
however many workers share a backlog, so a backlog drains at that pace instead of meeting
the provider's rate-limit refusals.

The sends are kept in Redis by ``limits`` as moving windows: the smallest slice of a
minute the rate divides into evenly (3,000 a minute is 50 in any second), so the pace is
steady, not a minute's allowance at once; and 60 seconds, which never hold more than the
rate less a headroom of 1 % (2,970 of 3,000), so the moment each send arrives at Notify,
a little after its turn, never makes a minute one too many. A worker whose turn has not
come sleeps until the oldest send in the full window leaves it, to the millisecond. (A
fixed window was tried first: ``limits`` reads its reset time with Redis' TTL, in whole
seconds, so waiting workers overslept by up to half a second a window and the pace fell a
quarter short of the rate; see docs/benchmarks.md.) Each send's moment is its worker's
clock: workers on several machines need NTP.

If Redis does not answer, each worker process paces itself alone at its share of the rate,
``MESSAGES_PER_MINUTE / MESSAGE_SENDERS`` (the number of worker processes that send), and
says so in the log: a slower drain, never a burst."""

import functools
import logging
import math
import time

from django.conf import settings
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

KEY = "messages-to-her"


# Of the provider's limit, kept free in every minute: Notify counts a send when it arrives,
# a few milliseconds after its turn was given (more on a busy machine), so a minute of turns
# at exactly the limit can arrive as one message too many in some 60 seconds (the pace
# benchmark saw 7 refused of 10,000). 1 % (30 a minute of 3,000) is far more than that.
HEADROOM = 0.01


def window(per_minute: int) -> RateLimitItemPerSecond:
    """``per_minute`` as so many per the smallest whole number of seconds it divides into."""
    step = math.gcd(per_minute, 60)
    return RateLimitItemPerSecond(per_minute // step, 60 // step)


def minute_cap(per_minute: int) -> RateLimitItemPerMinute:
    """At most this many in any 60 seconds: ``per_minute`` less the headroom."""
    return RateLimitItemPerMinute(max(1, per_minute - max(1, int(per_minute * HEADROOM))))


@functools.cache
def limiter_for(redis_url: str) -> MovingWindowRateLimiter:
    """One limiter, and so one Redis connection pool, per process and server: a Pacer is
    made for every sweep and every message outside the sweep. (redis-py's pool starts
    afresh in a forked worker process.)"""
    return MovingWindowRateLimiter(RedisStorage(redis_url, socket_timeout=2))


class Pacer:
    """``per_minute=0`` (or MESSAGES_PER_MINUTE=0): no pace at all (a provider without a
    limit; the reminders benchmark measuring the sweep itself)."""

    def __init__(
        self,
        *,
        per_minute: int | None = None,
        senders: int | None = None,
        redis_url: str | None = None,
    ):
        self.per_minute = settings.MESSAGES_PER_MINUTE if per_minute is None else per_minute
        self.senders = max(1, settings.MESSAGE_SENDERS if senders is None else senders)
        # Steady slices of the rate, and the minute's cap below the provider's limit.
        self.items = (
            (window(self.per_minute), minute_cap(self.per_minute)) if self.per_minute else ()
        )
        self.limiter = limiter_for(redis_url or settings.REDIS_URL)
        self._alone_next = 0.0

    def wait_turn(self, *, deadline: float) -> bool:
        """Wait until this worker may send one message. False if the turn would come after
        ``deadline`` (a ``time.monotonic()`` value): the caller stops and puts work back."""
        if not self.items:
            return True
        while True:
            try:
                if self._hit():
                    return True
                pause = self._until_free()
            except (RedisError, OSError) as error:  # Redis down: pace alone, conservatively
                logger.warning("sending pace: Redis did not answer (%s); pacing alone", error)
                return self._alone(deadline)
            if time.monotonic() + pause >= deadline:
                return False
            time.sleep(pause)

    def _hit(self) -> bool:
        """One turn in every window. The minute's cap is tested first, so a turn refused
        by it never uses up a slice; two workers racing for its last place may both pass
        the test, and then only one is counted in it (the other loses its slice's place
        and waits: slower, never over)."""
        slices, minute = self.items
        return (
            self.limiter.test(minute, KEY)
            and self.limiter.hit(slices, KEY)
            and self.limiter.hit(minute, KEY)
        )

    def _until_free(self) -> float:
        """Seconds until every full window has a free place (its oldest turn leaves it)."""
        now = time.time()
        waits = [
            stats.reset_time - now
            for stats in (self.limiter.get_window_stats(item, KEY) for item in self.items)
            if stats.remaining <= 0
        ]
        return max([0.001, *waits])  # none full any more: try again at once

    def _alone(self, deadline: float) -> bool:
        now = time.monotonic()
        turn = max(now, self._alone_next)
        if turn >= deadline:
            return False
        time.sleep(turn - now)
        self._alone_next = turn + 60.0 * self.senders / self.per_minute
        return True
