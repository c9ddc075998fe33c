"""Rate limits per key and per client IP, in memory and shared through Redis."""

import asyncio
import hashlib
import os
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send

from app.config import Settings
from app.http.rate_limit import MemoryLimiter, RateLimitMiddleware, key_id
from app.http.rate_limit_redis import RedisLimiter
from tests.support.apps import SettingsApp

REDIS_URL = "redis://127.0.0.1:6379/0"
DAY = 86_400


def _whole_minute_ahead(needed: float = 20.0) -> None:
    """Wait for the next fixed window if this one ends within `needed` seconds,
    so a test that counts many requests in one window cannot see it reset."""
    left = 60 - time.time() % 60
    if left < needed:
        time.sleep(left + 0.05)


def limited(**changes: object) -> dict[str, object]:
    """Small limits for `settings_app`, plus `changes`."""
    values: dict[str, object] = {"rate_limit_anon": "3/minute", "rate_limit_key": "5/minute"}
    return values | changes


@pytest.fixture
def small_limits(settings_app: SettingsApp) -> Iterator[TestClient]:
    with TestClient(settings_app(**limited())) as client:
        yield client


def test_anonymous_callers_get_429_with_retry_after_and_ratelimit_headers(
    small_limits: TestClient,
) -> None:
    answers = [small_limits.get("/v1/treatments") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a.headers["ratelimit-limit"] == "3" for a in answers)
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]
    assert refused.json()["status"] == 429
    assert refused.json()["request_id"] == refused.headers["x-request-id"]
    assert refused.headers["cache-control"] == "no-store"


def test_health_probes_are_not_limited(small_limits: TestClient) -> None:
    assert {small_limits.get("/healthz").status_code for _ in range(6)} == {200}


def test_a_key_has_its_own_bucket_and_is_counted_by_its_hash(small_limits: TestClient) -> None:
    for _ in range(3):
        small_limits.get("/v1/treatments")
    assert small_limits.get("/v1/treatments").status_code == 429

    keyed = small_limits.get("/v1/treatments", headers={"Authorization": "Bearer k-1"})

    assert keyed.status_code == 429, "an IP over its limit may not switch to inventing keys"
    assert key_id(b"Bearer k-1") == hashlib.sha256(b"k-1").hexdigest()[:32]
    assert key_id(b"Basic dXNlcjpwYXNz") is None


def test_keyed_requests_use_the_key_limit(small_limits: TestClient, keys: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {keys['editor']}"}
    codes = [small_limits.get("/v1/treatments", headers=headers).status_code for _ in range(6)]

    assert codes == [200] * 5 + [429]
    assert small_limits.get("/v1/treatments").status_code == 200, "the IP bucket is untouched"


def test_a_flood_of_invented_keys_is_limited_like_anonymous_requests(
    app: FastAPI, client: TestClient
) -> None:
    """The default limits: 600 anonymous requests a minute per IP."""
    _whole_minute_ahead()
    answers = [
        client.get("/v1/treatments", headers={"Authorization": f"Bearer {uuid.uuid4().hex}"})
        for _ in range(700)
    ]
    anonymous = client.get("/v1/treatments")
    limiter = app.state.rate_limiter
    assert isinstance(limiter, MemoryLimiter)
    assert limiter.buckets == 1, "no invented key got a bucket of its own"

    codes = [a.status_code for a in answers]
    assert codes == [401] * 600 + [429] * 100
    assert answers[0].headers["www-authenticate"] == (
        'Bearer realm="editorial", error="invalid_token"'
    )
    assert answers[0].headers["content-type"] == "application/problem+json"
    assert answers[599].headers["ratelimit-remaining"] == "0"
    assert anonymous.status_code == 429, "the invented keys were charged to the IP"


def test_an_ip_over_its_limit_keeps_a_verified_key_it_already_used(
    small_limits: TestClient, keys: dict[str, str]
) -> None:
    editor = {"Authorization": f"Bearer {keys['editor']}"}
    assert small_limits.get("/v1/treatments", headers=editor).status_code == 200
    for _ in range(3):
        small_limits.get("/v1/treatments")

    assert small_limits.get("/v1/treatments").status_code == 429
    assert small_limits.get("/v1/treatments", headers=editor).status_code == 200


def test_failed_authentication_is_charged_to_the_ip(settings_app: SettingsApp) -> None:
    app = settings_app(**limited())

    @app.get("/needs-key")
    def needs_key() -> None:
        from app.errors import Unauthorized

        raise Unauthorized()

    with TestClient(app) as client:
        for n in range(3):
            bogus = {"Authorization": f"Bearer guess-{n}"}
            assert client.get("/needs-key", headers=bogus).status_code == 401
        assert client.get("/v1/treatments").status_code == 429


def _client_ip_app(settings_app: SettingsApp, **changes: object) -> FastAPI:
    app = settings_app(**limited(trusted_proxies=["10.0.0.0/8"], **changes))

    @app.get("/whoami")
    def whoami(request: Request) -> dict[str, str]:
        return {"ip": request.scope["state"]["client_ip"]}

    return app


def test_x_forwarded_for_is_ignored_from_an_untrusted_peer(settings_app: SettingsApp) -> None:
    app = _client_ip_app(settings_app)
    with TestClient(app, client=("203.0.113.9", 4000)) as client:
        spoofed = [
            client.get("/whoami", headers={"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(4)
        ]

    assert {s.json()["ip"] for s in spoofed[:3]} == {"203.0.113.9"}
    assert spoofed[3].status_code == 429, "a new X-Forwarded-For must not buy a new bucket"


def test_x_forwarded_for_from_a_trusted_proxy_names_the_rightmost_untrusted_hop(
    settings_app: SettingsApp,
) -> None:
    app = _client_ip_app(settings_app)
    with TestClient(app, client=("10.1.2.3", 4000)) as client:
        chain = client.get(
            "/whoami", headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.7, 10.9.9.9"}
        )
        garbage = client.get("/whoami", headers={"X-Forwarded-For": "nonsense, 10.9.9.9"})
        others = [
            client.get("/whoami", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
            for n in range(20, 25)
        ]

    assert chain.json()["ip"] == "198.51.100.7", "1.2.3.4 was written by the client itself"
    assert garbage.json()["ip"] == "10.9.9.9"
    assert others == [200] * 5, "clients behind the proxy are limited one by one"


def test_rate_limiting_can_be_switched_off(settings_app: SettingsApp) -> None:
    app = settings_app(**limited(rate_limit_enabled=False))
    with TestClient(app) as client:
        answers = [client.get("/healthz") for _ in range(2)] + [client.get("/v1/faqs")]

    assert all("ratelimit-limit" not in a.headers for a in answers)
    assert app.state.rate_limiter is None


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as exc:
        pytest.skip(
            f"Redis is not reachable on 127.0.0.1:6379 ({exc}); CI starts it with "
            ".ci/snippets/start-redis.sh"
        )


def test_redis_counters_are_shared_by_two_app_instances(settings_app: SettingsApp) -> None:
    _redis_or_skip()
    prefix = f"tca:test:{uuid.uuid4().hex}:"
    shared = limited(redis_url=REDIS_URL, redis_prefix=prefix, rate_limit_anon="4/minute")
    first, second = settings_app(**shared), settings_app(**shared)
    try:
        with TestClient(first) as one, TestClient(second) as two:
            codes = [c.get("/v1/faqs").status_code for c in (one, two, one, two, one)]
            assert isinstance(first.state.rate_limiter, RedisLimiter)
        assert codes == [200, 200, 200, 200, 429]
        stored = redis.Redis.from_url(REDIS_URL).keys(prefix + "*")
        assert len(stored) == 1 and b"testclient" in stored[0]
        assert redis.Redis.from_url(REDIS_URL).ttl(stored[0]) > 0
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.keys(prefix + "*"):
            client.delete(key)


def test_an_unreachable_redis_fails_open_with_a_warning(
    settings_app: SettingsApp, caplog: pytest.LogCaptureFixture
) -> None:
    dead = limited(redis_url="redis://127.0.0.1:1/0", rate_limit_anon="1/minute")
    with TestClient(settings_app(**dead)) as client:
        codes = [client.get("/v1/faqs").status_code for _ in range(3)]

    assert codes == [200, 200, 200]
    warnings = [r for r in caplog.records if r.name == "app.http.rate_limit"]
    assert len(warnings) == 1 and "Redis is unreachable" in warnings[0].getMessage()


def test_ipv6_clients_share_a_bucket_per_network(settings_app: SettingsApp) -> None:
    """One subscriber holds a whole /64: walking its addresses must not buy buckets.
    Both paths count the same way: the normal one (/whoami) and the fast lane's
    cache hits (/v1/faqs after its first answer)."""
    results: dict[int, list[int]] = {}
    _whole_minute_ahead()
    for prefix in (64, 128):
        app = _client_ip_app(settings_app, rate_limit_ipv6_prefix=prefix)
        with TestClient(app, client=("10.1.2.3", 4000)) as client:
            codes = []
            for n, path in enumerate(["/whoami", "/v1/faqs", "/v1/faqs", "/whoami", "/v1/faqs"]):
                forwarded = {"X-Forwarded-For": f"2001:db8:7:1:{n}::{n + 1}"}
                codes.append(client.get(path, headers=forwarded).status_code)
            other = {"X-Forwarded-For": "2001:db8:7:2::1"}
            codes.append(client.get("/whoami", headers=other).status_code)
        results[prefix] = codes

    assert results[64] == [200, 200, 200, 429, 429, 200], "the next /64 is someone else"
    assert results[128] == [200] * 6


@pytest.mark.parametrize("prefix", [0, 31, 129])
def test_the_ipv6_prefix_is_a_sensible_network_size(prefix: int) -> None:
    with pytest.raises(ValidationError, match="rate_limit_ipv6_prefix"):
        Settings(database_url="sqlite:///unused.db", rate_limit_ipv6_prefix=prefix, _env_file=None)  # type: ignore[call-arg]


async def _answer(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


class _NoKeys:
    def cached(self, digest: str) -> bool | None:
        return False

    async def verify(self, authorization: bytes) -> bool:
        return False


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads RSS from /proc")
def test_the_memory_limiter_stays_within_its_bound_over_100000_addresses() -> None:
    """Each address is a new bucket; past the bound the least recently used go,
    and the process does not grow. Unbounded, 100,000 buckets hold about 15 MB."""
    limiter = MemoryLimiter(max_buckets=10_000)
    app = RateLimitMiddleware(_answer, limiter=limiter, anonymous=(600, DAY), keyed=(1200, DAY),
                              verifier=_NoKeys(), ipv6_prefix=64)  # fmt: skip

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        return None

    async def callers(first: int, count: int) -> None:
        for n in range(first, first + count):
            address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
            scope = {"type": "http", "method": "GET", "path": "/v1/faqs", "headers": [],
                     "query_string": b"", "state": {"client_ip": address}}  # fmt: skip
            await app(scope, receive, send)

    asyncio.run(callers(0, 20_000))  # the bound is full, the allocator warmed up
    before = _rss_bytes()
    asyncio.run(callers(20_000, 100_000))
    grown = _rss_bytes() - before

    assert limiter.buckets == 10_000
    assert limiter.dropped == 110_000
    assert grown < 3 * 1024 * 1024, f"RSS grew {grown / 1e6:.1f} MB"


def test_a_busy_caller_keeps_its_count_while_idle_buckets_are_dropped() -> None:
    limiter = MemoryLimiter(max_buckets=3)

    async def run() -> list[int]:
        remaining = []
        for caller in ["busy", "a", "busy", "b", "busy", "c", "busy", "d", "busy"]:
            decision = await limiter.hit("ip:" + caller, 10, DAY)
            assert decision is not None
            if caller == "busy":
                remaining.append(decision.remaining)
        return remaining

    assert asyncio.run(run()) == [9, 8, 7, 6, 5]
    assert (limiter.buckets, limiter.dropped) == (3, 2)


def test_dropped_buckets_are_counted_in_metrics(settings_app: SettingsApp) -> None:
    app = _client_ip_app(settings_app, rate_limit_max_buckets=2, rate_limit_anon="9/day")
    with TestClient(app, client=("10.1.2.3", 4000)) as client:
        for n in range(5):
            client.get("/whoami", headers={"X-Forwarded-For": f"198.51.100.{n}"})
        metrics = client.get("/metrics").text

    assert "\nrate_limit_buckets 2.0\n" in metrics
    assert "\nrate_limit_buckets_dropped_total 3.0\n" in metrics
