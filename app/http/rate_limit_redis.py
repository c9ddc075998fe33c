"""Rate-limit counters in Redis, shared by every worker and every instance.

One key per caller per window (`<prefix><window>:<window number>:<caller>`),
incremented and given an expiry in one MULTI/EXEC pipeline, so two workers
counting the same caller at once can neither lose a count nor leave a key
that never expires. Short socket timeouts keep a dead Redis from stalling
requests; any Redis error fails open (see `app.http.rate_limit`), with at most one
warning per WARN_EVERY seconds so an outage does not flood the log.
"""

import logging
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.http.rate_limit import Decision, decide

logger = logging.getLogger("app.http.rate_limit")

TIMEOUT_SECONDS = 0.25
WARN_EVERY = 30.0


class RedisLimiter:
    def __init__(self, url: str, *, prefix: str) -> None:
        self.client: Redis = Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )
        self.prefix = prefix
        self._warned_at = -WARN_EVERY

    def _key(self, key: str, window: int, now: float) -> str:
        return f"{self.prefix}{window}:{int(now // window)}:{key}"

    def _unavailable(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            logger.warning("rate limiting is off: Redis is unreachable (%s)", type(exc).__name__)

    async def hit(self, key: str, limit: int, window: int) -> Decision | None:
        now = time.time()
        name = self._key(key, window, now)
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, window + 1)
                count, _ = await pipe.execute()
        except (RedisError, OSError) as exc:
            self._unavailable(exc)
            return None
        return decide(int(count), limit, window, now)

    async def peek(self, key: str, limit: int, window: int) -> Decision | None:
        now = time.time()
        try:
            count = await self.client.get(self._key(key, window, now))
        except (RedisError, OSError) as exc:
            self._unavailable(exc)
            return None
        return decide(int(count or 0), limit, window, now)

    async def close(self) -> None:
        await self.client.aclose()
