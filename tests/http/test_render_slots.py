"""Anonymous content renders run at most `render_concurrency` at once per worker;
editors' reads and non-content paths never wait for a slot."""

import asyncio
from typing import Any

import httpx
import orjson

from app.config import Settings
from app.http.cache_layer import HttpCacheMiddleware
from app.http.response_cache import ResponseCache


class CountingRoute:
    """Records the most renders that were ever in progress at once."""

    def __init__(self) -> None:
        self.running = self.most = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.02)
        self.running -= 1
        body = orjson.dumps({"data": {"id": "t-1", "path": scope["path"]}})
        headers = [(b"content-type", b"application/json"), (b"surrogate-key", b"t-1")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _most_at_once(slots: int, paths: list[str], headers: dict[str, str]) -> int:
    settings = Settings(database_url="sqlite:///unused.db", render_concurrency=slots,
                        _env_file=None)  # type: ignore[call-arg]  # fmt: skip
    route = CountingRoute()
    cache = ResponseCache(max_entries=100, max_bytes=1_000_000)
    app = HttpCacheMiddleware(route, settings=settings, cache=cache)

    async def burst() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answers = await asyncio.gather(*(client.get(p, headers=headers) for p in paths))
        assert {a.status_code for a in answers} == {200}

    asyncio.run(burst())
    return route.most


def test_distinct_anonymous_misses_render_at_most_the_slots_at_once() -> None:
    paths = [f"/v1/treatments/t-{n}" for n in range(12)]

    assert _most_at_once(3, paths, {}) == 3
    assert _most_at_once(12, paths, {}) == 12


def test_editors_and_probes_do_not_wait_for_a_slot() -> None:
    paths = [f"/v1/treatments/t-{n}" for n in range(6)]

    assert _most_at_once(1, paths, {"Authorization": "Bearer editor"}) == 6
    assert _most_at_once(1, [f"/healthz?n={n}" for n in range(6)], {}) == 6


def test_the_default_slots_follow_the_engine() -> None:
    """SQLite renders are CPU-bound under one GIL; PostgreSQL's also wait on the network."""
    sqlite = Settings(database_url="sqlite:///unused.db", _env_file=None)  # type: ignore[call-arg]
    postgres = Settings(database_url="postgresql://u@db/x", _env_file=None)  # type: ignore[call-arg]
    chosen = Settings(database_url="sqlite:///unused.db", render_concurrency=3, _env_file=None)  # type: ignore[call-arg]

    assert (sqlite.render_slots, postgres.render_slots, chosen.render_slots) == (1, 2, 3)
