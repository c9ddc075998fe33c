"""Identical concurrent misses render once (no stampede on the database).

After a purge, or on a cold cache under load, every request for the same
bytes used to run the route and its queries at once; now the first renders
and the rest wait for it and share the stored entry.
"""

import asyncio
from typing import Any

import httpx
import orjson

from app.config import Settings
from app.http.cache_layer import HttpCacheMiddleware
from app.http.response_cache import ResponseCache

SETTINGS = Settings(database_url="sqlite:///unused.db", _env_file=None)  # type: ignore[call-arg]


class SlowRoute:
    """An ASGI route that takes a moment and counts how often it really ran."""

    def __init__(self, status: int = 200) -> None:
        self.calls = 0
        self.status = status

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await asyncio.sleep(0.05)
        body = orjson.dumps({"data": {"id": "t-1", "path": scope["path"]}})
        headers = [(b"content-type", b"application/json"), (b"surrogate-key", b"t-1 treatments")]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _burst(
    route: SlowRoute, cache: ResponseCache, requests: list[dict[str, str]]
) -> list[httpx.Response]:
    app = HttpCacheMiddleware(route, settings=SETTINGS, cache=cache)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await asyncio.gather(
            *(client.get("/v1/treatments/a", headers=headers) for headers in requests)
        )


def test_concurrent_identical_misses_run_the_route_once_and_share_its_answer() -> None:
    route, cache = SlowRoute(), ResponseCache(max_entries=100, max_bytes=1_000_000)
    answers = asyncio.run(_burst(route, cache, [{}] * 20))

    assert route.calls == 1
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert len({a.headers["etag"] for a in answers}) == 1
    assert all(a.headers["surrogate-key"] == answers[0].headers["surrogate-key"] for a in answers)


def test_a_waiting_request_with_the_etag_gets_a_304() -> None:
    route, cache = SlowRoute(), ResponseCache(max_entries=100, max_bytes=1_000_000)
    etag = asyncio.run(_burst(route, cache, [{}]))[0].headers["etag"]
    cache.clear()

    answers = asyncio.run(_burst(route, cache, [{}, {"If-None-Match": etag}]))

    assert route.calls == 2  # once per burst
    assert [a.status_code for a in answers] == [200, 304]


def test_different_representations_are_not_shared() -> None:
    route, cache = SlowRoute(), ResponseCache(max_entries=100, max_bytes=1_000_000)
    answers = asyncio.run(
        _burst(route, cache, [{"Accept-Language": "en"}, {"Accept-Language": "hi"}, {}])
    )

    assert route.calls == 3
    assert {a.status_code for a in answers} == {200}


def test_answers_that_are_not_stored_are_rendered_by_each_request() -> None:
    route, cache = SlowRoute(status=404), ResponseCache(max_entries=100, max_bytes=1_000_000)
    answers = asyncio.run(_burst(route, cache, [{}] * 5))

    assert {a.status_code for a in answers} == {404}
    assert route.calls == 5  # nothing stored to share; each waited, then ran
