"""The fast lane answers hits with exactly the normal path's status and headers.

Each comparison takes a miss (the whole stack) and then the same request as a
hit with the framework behind the lane made unreachable, so a hit that
quietly fell back to the normal path fails instead of passing by accident.
"""

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from starlette.types import Receive, Scope, Send

from app.db import Database
from app.http.fast_lane import FastLane
from app.http.rate_limit import MemoryLimiter
from app.http.response_cache import ResponseCache
from app.main import ContentApi
from tests.support.apps import SettingsApp

DETAIL = "/v1/treatments/immunotherapy"
TRACE = {"X-Request-ID": "trace-1"}
PORTAL = "https://portal.hospital.example"
REQUESTS = [
    (DETAIL, {}),
    (DETAIL, {"Accept-Encoding": "identity"}),
    (DETAIL, {"Accept-Encoding": "gzip"}),
    (DETAIL, {"Accept": "application/ld+json"}),
    (DETAIL, {"Accept-Language": "hi"}),
    (f"{DETAIL}/faqs", {}),
    ("/v1/treatments?type=immunotherapy&route=intravenous&condition=cancer", {}),
    ("/v1/search?q=immunotherapy", {}),
]
CONFIGS = {
    "defaults": {},
    "rate limit off": {"rate_limit_enabled": False},
    "hsts": {"hsts_seconds": 31536000},
    "cors": {"cors_origins": [PORTAL]},
    "no metrics, access log": {"metrics_enabled": False, "access_log": True},
}
# Per-request values; their names and positions are still compared.
VARYING = {b"ratelimit-remaining", b"ratelimit-reset"}


def _wire(response: Response) -> tuple[int, list[tuple[bytes, bytes]]]:
    headers = [(k.lower(), b"*" if k.lower() in VARYING else v) for k, v in response.headers.raw]
    return response.status_code, headers


def _cache(app: FastAPI) -> ResponseCache:
    cache = app.state.response_cache
    assert isinstance(cache, ResponseCache)
    return cache


@contextmanager
def framework_unreachable(app: FastAPI) -> Iterator[None]:
    assert isinstance(app, ContentApi)
    lane = app.front_door
    assert isinstance(lane, FastLane)
    behind = lane.app

    async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError(f"{scope['method']} {scope['path']} reached the framework")

    lane.app = refuse
    try:
        yield
    finally:
        lane.app = behind


def _miss(
    client: TestClient, app: FastAPI, method: str, url: str, headers: dict[str, str]
) -> Response:
    _cache(app).clear()
    return client.request(method, url, headers=headers)


@pytest.mark.parametrize("config", CONFIGS)
def test_hits_and_304s_carry_exactly_the_misses_headers(
    settings_app: SettingsApp, seeded: Database, config: str
) -> None:
    app = settings_app(**CONFIGS[config])
    with TestClient(app) as client:
        for url, extra in REQUESTS:
            headers = TRACE | extra
            miss = _miss(client, app, "GET", url, headers)
            assert miss.status_code == 200, (url, miss.text)
            conditional = headers | {"If-None-Match": miss.headers["etag"]}
            not_modified_miss = _miss(client, app, "GET", url, conditional)
            head_miss = _miss(client, app, "HEAD", url, headers)
            hits = _cache(app).hits
            with framework_unreachable(app):
                hit = client.get(url, headers=headers)
                head_hit = client.head(url, headers=headers)
                not_modified_hit = client.get(url, headers=conditional)
            assert _cache(app).hits == hits + 3
            assert _wire(hit) == _wire(miss), (config, url, extra)
            assert hit.content == miss.content
            assert _wire(head_hit) == _wire(head_miss), (config, url, extra)
            assert head_hit.content == b""
            assert not_modified_hit.status_code == 304
            assert _wire(not_modified_hit) == _wire(not_modified_miss), (config, url, extra)
            assert not_modified_hit.content == b""


def test_a_hit_gets_a_fresh_request_id_unless_a_safe_one_is_given(
    seeded: Database, client: TestClient
) -> None:
    client.get(DETAIL)
    ids = {client.get(DETAIL).headers["x-request-id"] for _ in range(3)}
    unsafe = client.get(DETAIL, headers={"X-Request-ID": "a b"}).headers["x-request-id"]

    assert len(ids) == 3 and all(len(i) == 32 for i in ids)
    assert unsafe != "a b" and len(unsafe) == 32


def test_rate_limit_counts_a_hit_once_and_its_429_is_the_normal_one(
    settings_app: SettingsApp, seeded: Database
) -> None:
    app = settings_app(rate_limit_anon="3/minute")
    with TestClient(app) as client:
        answers = [client.get(DETAIL) for _ in range(4)]
        limiter = app.state.rate_limiter
        assert isinstance(limiter, MemoryLimiter)
        counted = asyncio.run(limiter.peek("ip:testclient", 100, 60))

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert counted is not None and counted.remaining == 96, "each request counted once"
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]
    assert refused.json()["request_id"] == refused.headers["x-request-id"]


def test_what_the_lane_must_not_answer_takes_the_normal_path(
    seeded: Database, settings_app: SettingsApp
) -> None:
    app = settings_app(cors_origins=[PORTAL], max_body_bytes=10)
    with TestClient(app) as client:
        client.get(DETAIL)
        hits = _cache(app).hits
        from_portal = client.get(DETAIL, headers={"Origin": PORTAL})
        with_body = client.request("GET", DETAIL, content=b"x" * 11)
        keyed = client.get(DETAIL, headers={"Authorization": "Bearer k"})

    assert from_portal.headers["access-control-allow-origin"] == PORTAL
    assert _cache(app).hits == hits + 1, "the portal's request is a hit of the normal path"
    assert with_body.status_code == 413
    assert keyed.headers["cache-control"] == "no-store"


def test_a_hit_is_logged_and_counted_by_route(
    settings_app: SettingsApp, seeded: Database, caplog: pytest.LogCaptureFixture
) -> None:
    app = settings_app(access_log=True)
    with TestClient(app) as client:
        client.get(DETAIL)
        caplog.set_level(logging.INFO, logger="app.access")
        caplog.clear()
        with framework_unreachable(app):
            client.get(DETAIL, headers={"X-Request-ID": "hit-1"})
        (record,) = [r for r in caplog.records if r.name == "app.access"]
        metrics = client.get("/metrics").text

    assert record.__dict__["route"] == "/v1/treatments/{slug}"
    assert record.__dict__["status"] == 200
    assert record.__dict__["request_id"] == "hit-1"
    assert record.__dict__["client_ip"] == "testclient"
    line = 'http_requests_total{method="GET",route="/v1/treatments/{slug}",status="200"} 2.0'
    assert line in metrics
