"""Rate limiting per API key or per client IP, in fixed windows.

A request with a verified key is counted per key (by its hash, never the raw
key); anything else per client IP (an IPv6 client per /64), never by what
the body says. A malformed, unknown or revoked key is charged to the IP, so
a fresh invented key buys no fresh bucket. Fixed windows cost one atomic
INCR; in memory the buckets are bounded (least recently used dropped). If
Redis is down the limiter fails open: a protective extra must not take the
content API down.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import hashlib
import time
from collections import OrderedDict
from typing import NamedTuple, Protocol

from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TooManyRequests
from app.http.client_ip import ip_bucket
from app.http.problem import send_problem

EXEMPT_PATHS = frozenset({"/healthz", "/metrics"})
# Where the fast lane leaves a refusal it has already counted, so the normal
# path sends the 429 without counting the request a second time.
DECIDED_STATE = "rate_limit_decision"
# Where this layer leaves the key's verdict for the key check, so a key is
# looked up once per request.
VERDICT_STATE = "key_verdict"
DEFAULT_MAX_BUCKETS = 100_000


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

    Only the current window is kept, and at most `max_buckets` counters in
    all: a client spraying addresses (an IPv6 range, a botnet) would otherwise
    grow the dict without bound inside one window. Over the bound the least
    recently counted bucket goes first, so a busy caller's own count survives
    the spray that evicts idle ones; each drop is counted (`dropped`, in
    /metrics as `rate_limit_buckets_dropped_total`). Runs on the event loop
    only, so needs no lock.
    """

    def __init__(self, max_buckets: int = DEFAULT_MAX_BUCKETS) -> None:
        self.max_buckets = max_buckets
        self.dropped = 0
        self._size = 0
        self._windows: dict[int, tuple[int, OrderedDict[str, int]]] = {}

    @property
    def buckets(self) -> int:
        return self._size

    def _counts(self, window: int, now: float) -> OrderedDict[str, int]:
        start = int(now // window)
        current = self._windows.get(window)
        if current is None or current[0] != start:
            if current is not None:
                self._size -= len(current[1])
            current = (start, OrderedDict())
            self._windows[window] = current
        return current[1]

    def _make_room(self, now: float) -> None:
        """Forget expired windows, then the least recently used counters, until one fits."""
        for window, (start, counts) in list(self._windows.items()):
            if start != int(now // window):
                self._size -= len(counts)
                del self._windows[window]
        while self._size >= self.max_buckets:
            fullest = max((counts for _, counts in self._windows.values()), key=len)
            fullest.popitem(last=False)
            self._size -= 1
            self.dropped += 1

    async def hit(self, key: str, limit: int, window: int) -> Decision | None:
        now = time.time()
        counts = self._counts(window, now)
        count = counts.get(key)
        if count is None:
            if self._size >= self.max_buckets:
                self._make_room(now)
            count = counts[key] = 1
            self._size += 1
        else:
            count = counts[key] = count + 1
            counts.move_to_end(key)
        return decide(count, limit, window, now)

    async def peek(self, key: str, limit: int, window: int) -> Decision | None:
        now = time.time()
        return decide(self._counts(window, now).get(key, 0), limit, window, now)

    async def close(self) -> None:
        self._windows.clear()
        self._size = 0


class KeyVerdicts(Protocol):
    """What the limiter asks the key checker (`app.http.key_check.KeyVerifier`)."""

    def cached(self, digest: str) -> bool | None:
        """A remembered verdict for this token digest, without waiting."""

    async def verify(self, authorization: bytes) -> bool:
        """Whether the header carries an active key (may query the database)."""


async def anonymous_decision(
    limiter: Limiter, rate: tuple[int, int], client_ip: str, ipv6_prefix: int
) -> Decision | None:
    """Count one request without a verified key against its client IP (or IPv6 network)."""
    return await limiter.hit("ip:" + ip_bucket(client_ip, ipv6_prefix), *rate)


def token_digest(authorization: bytes) -> str | None:
    """The SHA-256 of a Bearer token (as `api_key.hash_key` stores it); None for
    any other scheme or an empty token."""
    scheme, _, token = authorization.partition(b" ")
    token = token.strip()
    if scheme.lower() != b"bearer" or not token:
        return None
    return hashlib.sha256(token).hexdigest()


def key_id(authorization: bytes) -> str | None:
    """A stable, non-reversible bucket id for a Bearer key; None for anything else."""
    digest = token_digest(authorization)
    return None if digest is None else digest[:32]


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: Limiter,
        anonymous: tuple[int, int],
        keyed: tuple[int, int],
        verifier: KeyVerdicts,
        ipv6_prefix: int,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.anonymous = anonymous
        self.keyed = keyed
        self.verifier = verifier
        self.ipv6_prefix = ipv6_prefix

    async def _keyed(
        self, state: dict[str, object], ip: str, authorization: bytes
    ) -> tuple[Decision | None, bool]:
        """The decision for a request with Authorization, and whether its key is verified."""
        digest = token_digest(authorization)
        verdict = False if digest is None else self.verifier.cached(digest)
        if verdict is None:
            by_ip = await self.limiter.peek(ip, *self.anonymous)
            if by_ip is not None and by_ip.remaining == 0:
                # Checking yet another key for a caller already over its limit
                # would cost a query for a request that is refused either way.
                return Decision(False, by_ip.limit, 0, by_ip.reset), False
            try:
                verdict = await self.verifier.verify(authorization)
            except SQLAlchemyError:
                # The key check answers 503; that answer is charged like an anonymous one.
                return await self.limiter.hit(ip, *self.anonymous), False
        state[VERDICT_STATE] = verdict
        if verdict and digest is not None:
            return await self.limiter.hit("key:" + digest[:32], *self.keyed), True
        return await self.limiter.hit(ip, *self.anonymous), False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        ip = "ip:" + ip_bucket(str(state.get("client_ip", "unknown")), self.ipv6_prefix)
        authorization = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = bytes(value)
                break
        verified = False
        decision: Decision | None = state.pop(DECIDED_STATE, None)
        if decision is not None:
            pass
        elif authorization is None:
            decision = await self.limiter.hit(ip, *self.anonymous)
        else:
            decision, verified = await self._keyed(state, ip, authorization)
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
        if verified and status == 401:
            # Verified from the cache but refused by a route: revoked meanwhile.
            await self.limiter.hit(ip, *self.anonymous)
