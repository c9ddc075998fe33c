"""Rate limiting per API key or per client IP, in fixed windows.

A request with a Bearer key is counted against that key (by a hash of it:
the raw key is never kept, logged or sent to Redis); any other request is
counted against its client IP (X-Forwarded-For only behind TRUSTED_PROXIES,
see `app.client_ip`). Nothing the body says picks the bucket. A key that
fails authentication (401/403) is also charged to the caller's IP, and an
IP over its limit may not present keys either, so inventing a fresh key for
every request does not buy a fresh bucket.

Fixed windows rather than sliding ones: one counter per caller per window,
one atomic INCR in Redis, at the cost of allowing up to twice the rate
across a window boundary. Every answer carries `RateLimit-Limit`,
`RateLimit-Remaining` and `RateLimit-Reset` (seconds; IETF draft names); a
refusal is a 429 problem with `Retry-After`.

Counters live in memory (per worker) unless REDIS_URL is set; then every
worker shares them (`app.ratelimit_redis`). If Redis cannot be reached the
limiter fails open, with a logged warning: an outage of a protective extra
must not take the content API down with it.
"""

import hashlib
import time
from typing import NamedTuple, Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TooManyRequests
from app.http.problem import send_problem

EXEMPT_PATHS = frozenset({"/healthz", "/metrics"})
# Where the fast lane leaves a refusal it has already counted, so the normal
# path sends the 429 without counting the request a second time.
DECIDED_STATE = "rate_limit_decision"
_AUTH_FAILED = frozenset({401, 403})


class Decision(NamedTuple):
    """One counted request's outcome; a tuple because one is made per request
    and a frozen dataclass costs several times as much to build."""

    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", b"%d" % self.limit),
            (b"ratelimit-remaining", b"%d" % self.remaining),
            (b"ratelimit-reset", b"%d" % self.reset),
        ]


def decide(count: int, limit: int, window: int, now: float) -> Decision:
    reset = max(1, int(window - now % window + 0.999))
    return Decision(count <= limit, limit, max(0, limit - count), reset)


class Limiter(Protocol):
    async def hit(self, key: str, limit: int, window: int) -> Decision | None:
        """Count one request; None when the counters cannot be reached (fail open)."""

    async def peek(self, key: str, limit: int, window: int) -> Decision | None:
        """The state of a bucket without counting."""

    async def close(self) -> None: ...


class MemoryLimiter:
    """Per-process counters for the current window of each window length.

    Only the current window is kept, so memory is bounded by the callers seen
    in one window. Runs on the event loop only, so needs no lock.
    """

    def __init__(self) -> None:
        self._windows: dict[int, tuple[int, dict[str, int]]] = {}

    def _counts(self, window: int, now: float) -> dict[str, int]:
        start = int(now // window)
        current = self._windows.get(window)
        if current is None or current[0] != start:
            current = (start, {})
            self._windows[window] = current
        return current[1]

    async def hit(self, key: str, limit: int, window: int) -> Decision | None:
        now = time.time()
        counts = self._counts(window, now)
        count = counts[key] = counts.get(key, 0) + 1
        return decide(count, limit, window, now)

    async def peek(self, key: str, limit: int, window: int) -> Decision | None:
        now = time.time()
        return decide(self._counts(window, now).get(key, 0), limit, window, now)

    async def close(self) -> None:
        self._windows.clear()


async def anonymous_decision(
    limiter: Limiter, rate: tuple[int, int], client_ip: str
) -> Decision | None:
    """Count one request without a key against its client IP."""
    return await limiter.hit("ip:" + client_ip, *rate)


def key_id(authorization: bytes) -> str | None:
    """A stable, non-reversible id for a Bearer key; None for anything else."""
    scheme, _, token = authorization.partition(b" ")
    token = token.strip()
    if scheme.lower() != b"bearer" or not token:
        return None
    return hashlib.sha256(token).hexdigest()[:32]


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: Limiter,
        anonymous: tuple[int, int],
        keyed: tuple[int, int],
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.anonymous = anonymous
        self.keyed = keyed

    async def _decide(self, client_ip: str, key: str | None) -> Decision | None:
        if key is None:
            return await anonymous_decision(self.limiter, self.anonymous, client_ip)
        ip_bucket = "ip:" + client_ip
        by_ip = await self.limiter.peek(ip_bucket, *self.anonymous)
        if by_ip is not None and by_ip.remaining == 0:
            return Decision(False, by_ip.limit, 0, by_ip.reset)
        return await self.limiter.hit("key:" + key, *self.keyed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        state = scope.get("state", {})
        client_ip = str(state.get("client_ip", "unknown"))
        key = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                key = key_id(value)
                break
        decided: Decision | None = state.pop(DECIDED_STATE, None)
        decision = decided or await self._decide(client_ip, key)
        if decision is None:
            await self.app(scope, receive, send)
            return
        extra = decision.headers()
        if not decision.allowed:
            refusal = TooManyRequests(
                f"Rate limit of {decision.limit} requests exceeded; "
                f"retry in {decision.reset} seconds.",
                headers={"Retry-After": str(decision.reset)}
                | {k.decode(): v.decode() for k, v in extra},
            )
            await send_problem(scope, receive, send, refusal)
            return
        status = 0

        async def send_with_limits(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_limits)
        if key is not None and status in _AUTH_FAILED:
            await self.limiter.hit("ip:" + client_ip, *self.anonymous)
