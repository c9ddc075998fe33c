"""Faults with real servers on loopback: a database outage, and SIGTERM mid-request."""

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url

from app.config import Settings
from app.db import Database
from tests.support import servers
from tests.support.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]
DETAIL = "/v1/treatments/immunotherapy"


@pytest.fixture
def proxied_server(seeded: Database, settings: Settings) -> Iterator[tuple[str, TcpProxy]]:
    """The app under a real server (TEST_SERVER), reaching PostgreSQL only through the proxy."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("the outage test needs PostgreSQL (run with DATABASE_URL=postgresql://...)")
    url = make_url(settings.database_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    env = {
        **os.environ,
        "DATABASE_URL": through_proxy.render_as_string(hide_password=False),
        "ENVIRONMENT": "test",
        "RESPONSE_CACHE": "false",  # every request must really reach the database
        "RATE_LIMIT_ENABLED": "false",
        "DB_CONNECT_TIMEOUT": "2",
        "DB_POOL_TIMEOUT": "2",
    }
    port = servers.free_port()
    process = servers.start(
        servers.command("app.main:create_app", port, factory=True), cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        servers.wait_ready(base, process)
        yield base, proxy
    finally:
        servers.stop(process)
        proxy.stop()


def _timed_get(base: str, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = httpx.get(base + path, timeout=10)
    return answer, time.monotonic() - started


@pytest.mark.slow
@pytest.mark.server
def test_a_database_outage_is_a_fast_503_and_the_api_recovers_by_itself(
    proxied_server: tuple[str, TcpProxy],
) -> None:
    base, proxy = proxied_server
    assert httpx.get(base + "/readyz", timeout=10).status_code == 200
    assert httpx.get(base + DETAIL, timeout=10).status_code == 200

    proxy.stop()
    for path in ("/readyz", DETAIL, "/v1/faqs"):
        answer, took = _timed_get(base, path)
        assert answer.status_code == 503, (path, answer.text)
        assert took < 4, f"{path} took {took:.1f}s with the database down"
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"] == "5"
        assert answer.json()["request_id"] == answer.headers["x-request-id"]
        for leak in ("Traceback", "psycopg", "SELECT", "5432"):
            assert leak not in answer.text, (path, leak)

    proxy.start()
    deadline = time.monotonic() + 10
    while httpx.get(base + "/readyz", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, "the API did not recover after the database returned"
        time.sleep(0.2)
    assert httpx.get(base + DETAIL, timeout=10).json()["data"]["slug"] == "immunotherapy"


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = servers.free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'slow.db'}",
        "ENVIRONMENT": "test",
        "RESPONSE_CACHE": "false",
        "SLOW_MARKER": str(tmp_path / "slow-started"),
    }
    command = servers.command("tests.support.slow_app:app", port, graceful_seconds=10)
    process = servers.start(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        servers.wait_ready(base, process)
        yield base, process
    finally:
        servers.stop(process, grace=0)


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.slow
@pytest.mark.server
def test_sigterm_lets_the_request_in_flight_finish_and_refuses_new_connections(
    slow_server: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, process = slow_server
    answers: list[httpx.Response] = []
    request = threading.Thread(target=lambda: answers.append(httpx.get(base + "/slow", timeout=15)))
    request.start()
    started = time.monotonic()
    while not (tmp_path / "slow-started").exists():  # the fixture's SLOW_MARKER
        assert time.monotonic() - started < 15, "the slow request never reached the app"
        time.sleep(0.02)

    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    if servers.SERVER == "uvicorn":
        # uvicorn closes its socket at once. granian keeps it open (new
        # connections wait in the backlog) until its workers have stopped.
        port = int(base.rsplit(":", 1)[1])
        deadline = signalled + 1.5
        while not _refused(port):
            assert time.monotonic() < deadline, "still accepting connections after SIGTERM"
            time.sleep(0.05)
    assert request.is_alive(), "the slow request should still be running"

    request.join(timeout=15)
    assert answers and answers[0].status_code == 200
    assert answers[0].json() == {"done": True}
    # uvicorn re-raises the signal once it has shut down cleanly, so the exit
    # status is "terminated by SIGTERM", as for any process that honours it.
    assert process.wait(timeout=10) in (0, -signal.SIGTERM)
    assert time.monotonic() - signalled < 10, "did not exit within its grace period"
