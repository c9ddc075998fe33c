"""The app every test shares, and how a test of settings builds its own.

An app per test would pay for a lifespan (cache watcher, schedule thread)
and a cold middleware stack every time, so one app serves the whole run:
tests take the `app` or `client` fixture. What an app remembers between
requests is put back before each test by `reset`, so tests stay independent
of each other and of their order. Only a test of a setting (or of building,
wiring or serving an app) builds its own, with the `settings_app` fixture.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.db import Database
from app.services.api_key import LastUsedTracker


class SettingsApp(Protocol):
    """Builds an app from the test settings with `changes`, over `database` or the test one."""

    def __call__(self, *, database: Database | None = None, **changes: Any) -> FastAPI: ...


def reset(app: FastAPI) -> None:
    """Forget what earlier tests left on the app: cached responses, counters, buckets."""
    app.dependency_overrides.clear()
    app.state.key_usage = LastUsedTracker()
    cache = app.state.response_cache
    if cache is not None:
        cache.clear()
        cache.hits = cache.misses = 0
    store = app.state.document_store
    if store is not None:
        store.hits = store.misses = store.stored = store.errors = store.pg_lookups = 0
        store._decoded.clear()
        store._decoded_bytes = 0
    limiter = app.state.rate_limiter
    if limiter is not None:
        limiter._windows.clear()
        limiter._size = limiter.dropped = 0
    metrics = app.state.metrics
    if metrics is not None:
        metrics._requests._rows.clear()
        metrics._gauges.clear()


def start_once(app: FastAPI) -> None:
    """Make a second start of the shared app's lifespan fail loudly.

    `with TestClient(app)` on the running shared app would start its threads
    again and, on leaving, stop them and close its document store for every
    later test. A second client of it goes without `with`.
    """
    started = app.router.lifespan_context
    running = False

    @asynccontextmanager
    async def lifespan(target: Any) -> AsyncIterator[None]:
        nonlocal running
        if running:
            raise RuntimeError("the shared app is running: use TestClient(app) without `with`")
        running = True
        async with started(target):
            yield

    app.router.lifespan_context = lifespan


class Shared:
    """The run's app and its running client, with the client's first headers kept."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.app: FastAPI = client.app  # type: ignore[assignment]
        self.headers = dict(client.headers)

    def reset(self) -> None:
        """The app and client as new ones would be: no cached state, cookies or added headers."""
        reset(self.app)
        self.client.cookies.clear()
        self.client.headers.clear()
        self.client.headers.update(self.headers)
