"""One sending pace for every worker: messages to women leave at most
``MESSAGES_PER_MINUTE`` a minute in all (GOV.UK Notify accepts 3,000 a minute per service),
however many workers share a backlog, so a backlog drains at that pace instead of meeting
the provider's rate-limit refusals.

The count is kept in Redis by ``limits`` (a fixed window, in the smallest slice of a minute
the rate divides into evenly: 3,000 a minute is 50 a second), so the pace is steady, not a
minute's allowance at once. If Redis does not answer, each worker paces itself alone at the
whole rate's share for one worker, and says so in the log: a slower drain, never a burst."""

import logging
import math
import time

from django.conf import settings
from limits import RateLimitItemPerSecond
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

logger = logging.getLogger(__name__)

KEY = "messages-to-her"


def window(per_minute: int) -> RateLimitItemPerSecond:
    """``per_minute`` as so many per the smallest whole number of seconds it divides into."""
    step = math.gcd(per_minute, 60)
    return RateLimitItemPerSecond(per_minute // step, 60 // step)


class Pacer:
    """``per_minute=0`` (or MESSAGES_PER_MINUTE=0): no pace at all (a provider without a
    limit; the reminders benchmark measuring the sweep itself)."""

    def __init__(self, *, per_minute: int | None = None, redis_url: str | None = None):
        self.per_minute = settings.MESSAGES_PER_MINUTE if per_minute is None else per_minute
        self.item = window(self.per_minute) if self.per_minute else None
        self.limiter = FixedWindowRateLimiter(
            RedisStorage(redis_url or settings.REDIS_URL, socket_timeout=2)
        )
        self._alone_next = 0.0

    def wait_turn(self, *, deadline: float) -> bool:
        """Wait until this worker may send one message. False if the turn would come after
        ``deadline`` (a ``time.monotonic()`` value): the caller stops and puts work back."""
        if self.item is None:
            return True
        while True:
            try:
                if self.limiter.hit(self.item, KEY):
                    return True
                reset = self.limiter.get_window_stats(self.item, KEY).reset_time
                pause = max(0.005, reset - time.time())
            except Exception as error:  # Redis down: pace alone, conservatively
                logger.warning("sending pace: Redis did not answer (%s); pacing alone", error)
                return self._alone(deadline)
            if time.monotonic() + pause >= deadline:
                return False
            time.sleep(pause)

    def _alone(self, deadline: float) -> bool:
        now = time.monotonic()
        turn = max(now, self._alone_next)
        if turn >= deadline:
            return False
        time.sleep(turn - now)
        self._alone_next = turn + 60.0 / self.per_minute
        return True
