"""Cross-worker invalidation with real server processes sharing the database.

Two uvicorn processes (one worker each, so the test can address each one)
warm their caches; the test process then changes the item through the
services, which commits (and on PostgreSQL NOTIFYs); both must serve the new
content within a second. On SQLite the coarse `PRAGMA data_version` poll
does the same job.
"""

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from app.db import Database
from app.http.invalidation import CHANNEL, PostgresListener
from app.http.response_cache import Entry, ResponseCache
from app.services.change_hook import Action, Change, content_changed
from models import Treatment
from tests.support import servers as http_servers

ROOT = Path(__file__).resolve().parents[2]
DETAIL = "/v1/treatments/immunotherapy"


@pytest.fixture
def servers(seeded: Database, database_url: str) -> Iterator[list[str]]:
    env = {**os.environ, "DATABASE_URL": database_url, "ENVIRONMENT": "test"}
    processes: list[subprocess.Popen[bytes]] = []
    bases = []
    try:
        for _ in range(2):
            port = http_servers.free_port()
            command = http_servers.command("app.main:create_app", port, factory=True)
            processes.append(http_servers.start(command, cwd=ROOT, env=env))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            http_servers.wait_ready(base, process, path="/readyz")
        yield bases
    finally:
        for process in processes:
            http_servers.stop(process)


def _title(base: str) -> str:
    title: str = httpx.get(base + DETAIL, timeout=2).json()["data"]["title"]
    return title


@pytest.mark.slow
@pytest.mark.server
def test_a_change_reaches_every_worker_within_a_second(
    servers: list[str], seeded: Database
) -> None:
    for base in servers:
        for _ in range(2):
            assert _title(base) == "Immunotherapy"
    if seeded.engine.dialect.name == "postgresql":
        # A write that bypasses the change hook is not announced: both keep
        # serving their cached copy, which shows the cache really is in front.
        with seeded.engine.begin() as conn:
            conn.execute(text("UPDATE treatment SET summary = 'Unannounced sample edit.'"))
        time.sleep(0.3)
        for base in servers:
            assert "Unannounced" not in httpx.get(base + DETAIL).text

    with seeded.transaction(write=True) as session:
        item = session.scalars(select(Treatment).where(Treatment.slug == "immunotherapy")).one()
        item.title = "Immunotherapy (changed sample)"
        item.version += 1
        content_changed(session, change=Change("treatment", item, Action.updated))
    changed_at = time.monotonic()

    pending = set(servers)
    while pending and time.monotonic() - changed_at < 1.0:
        pending = {base for base in pending if _title(base) != "Immunotherapy (changed sample)"}
        time.sleep(0.05)
    assert not pending, f"still stale after 1 s: {sorted(pending)}"


@pytest.mark.slow
@pytest.mark.postgres_only
def test_listener_reconnects_after_losing_postgres_and_drops_what_it_missed(
    database: Database, database_url: str
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    cache = ResponseCache(max_entries=10, max_bytes=1_000_000)
    listener = PostgresListener(cache, database_url)
    listener.start()
    try:
        _store(cache, "before")
        with database.engine.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN%' AND datname = current_database()"
                )
            )
        deadline = time.monotonic() + 5
        while len(cache) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(cache) == 0  # reconnected, and cleared what it may have missed
        assert listener.listening.wait(timeout=5)
        _store(cache, "after")
        with database.engine.begin() as conn:
            payload = '{"token": "another-process", "tags": ["after"]}'
            conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": CHANNEL, "payload": payload})  # fmt: skip
        deadline = time.monotonic() + 1
        while len(cache) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(cache) == 0
    finally:
        listener.stop()


def _store(cache: ResponseCache, tag: str) -> None:
    entry = Entry([], b"x", b'"x"', frozenset(), [], (tag,))
    key = ("/v1/x", tag.encode(), b"", b"", b"", "http", "identity")
    cache.put(key, entry, generation=cache.generation)
    assert len(cache) == 1
