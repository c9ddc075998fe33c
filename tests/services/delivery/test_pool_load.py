"""Sync endpoints under many more connections than threads and DB connections.

A common FastAPI + SQLAlchemy lock-up: 40 threadpool threads, a 15-connection
pool, and every thread waiting on the pool until it times out. Here the real
app runs under uvicorn with a tiny pool and as many threads as connections,
and 256 concurrent clients must all get answers: no 5xx, no timeouts.
"""

import asyncio
import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi.testclient import TestClient

from app import wiring
from app.config import Settings
from app.db import Database, make_engine
from tests.support import servers
from tests.support.apps import SettingsApp

CONCURRENCY = 256
LOAD_SECONDS = 6.0
MAX_REQUESTS = 20_000
CLIENT_TIMEOUT = 30.0
CLIENT_KEEP_ALIVE = 5.0
SERVER_KEEP_ALIVE = 60
PATHS = [
    "/v1/treatments/immunotherapy",
    "/v1/treatments?type=immunotherapy",
    "/v1/treatments/immunotherapy/faqs",
    "/v1/treatments?route=intracavitary&sort=-updated_at",
]


@pytest.fixture
def small_pool_server(database_url: str, seeded: Database) -> Iterator[str]:
    """The app under uvicorn on loopback: pool 4 + overflow 0, 4 threads."""
    port = servers.free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "DB_POOL_SIZE": "4",
        "DB_MAX_OVERFLOW": "0",
        "THREADPOOL_SIZE": "4",
        "DB_POOL_TIMEOUT": "1",
    }
    # Keep-alive longer than the client's expiry, so the client never reuses a
    # socket the server is closing (a keep-alive race unrelated to the pool).
    command = servers.command(
        "app.main:create_app", port, factory=True, keep_alive_seconds=SERVER_KEEP_ALIVE
    )
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        servers.wait_ready(base_url, server)
        yield base_url
    finally:
        servers.stop(server)
        if server.stderr is not None:
            server.stderr.close()


@dataclass
class LoadResult:
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.statuses.values()) + sum(self.failures.values())


async def _load(base_url: str) -> LoadResult:
    result = LoadResult()
    deadline = time.monotonic() + LOAD_SECONDS
    limits = httpx.Limits(
        max_connections=CONCURRENCY,
        max_keepalive_connections=CONCURRENCY,
        keepalive_expiry=CLIENT_KEEP_ALIVE,
    )
    timeout = httpx.Timeout(CLIENT_TIMEOUT)

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client:

        async def worker(number: int) -> None:
            sent = 0
            while time.monotonic() < deadline and result.total < MAX_REQUESTS:
                path = PATHS[(number + sent) % len(PATHS)]
                sent += 1
                try:
                    response = await client.get(path)
                except httpx.HTTPError as exc:
                    result.failures[f"{type(exc).__name__} on {path}: {exc.__cause__!r}"] += 1
                else:
                    result.statuses[response.status_code] += 1

        await asyncio.gather(*(worker(n) for n in range(CONCURRENCY)))
    return result


@pytest.mark.slow
@pytest.mark.server
def test_256_connections_on_a_4_connection_pool_never_fail(small_pool_server: str) -> None:
    result = asyncio.run(_load(small_pool_server))

    assert result.failures == Counter(), f"transport errors or timeouts: {result.failures}"
    assert set(result.statuses) == {200}, f"status counts: {result.statuses}"
    assert result.total >= CONCURRENCY
    ready = httpx.get(f"{small_pool_server}/readyz", timeout=5)
    assert ready.status_code == 200


def test_exhausted_pool_is_a_503_problem_with_retry_after(
    settings: Settings, settings_app: SettingsApp
) -> None:
    changes = {"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout": 0.2}
    tiny = settings.model_copy(update=changes)
    tiny_database = Database(make_engine(tiny))
    wiring.connect(tiny_database)
    held = tiny_database.engine.connect()
    try:
        with TestClient(settings_app(database=tiny_database, **changes)) as client:
            response = client.get("/v1/treatments")
    finally:
        held.close()
        tiny_database.dispose()

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"  # app.errors.DATABASE_RETRY_AFTER
    assert response.json()["type"].endswith("/service-unavailable")


def test_threadpool_defaults_to_pool_capacity_and_never_exceeds_it() -> None:
    settings = Settings(
        db_pool_size=6,
        db_max_overflow=2,
        _env_file=None,  # type: ignore[call-arg]
    )
    assert settings.threads == 8

    with pytest.raises(ValueError, match="THREADPOOL_SIZE=9 exceeds the database pool"):
        Settings(
            db_pool_size=6,
            db_max_overflow=2,
            threadpool_size=9,
            _env_file=None,  # type: ignore[call-arg]
        )


def test_lifespan_caps_the_threadpool(settings_app: SettingsApp) -> None:
    import anyio.to_thread

    app = settings_app(threadpool_size=3)
    with TestClient(app) as client:
        tokens = client.portal.call(
            lambda: anyio.to_thread.current_default_thread_limiter().total_tokens
        )
    assert tokens == 3
