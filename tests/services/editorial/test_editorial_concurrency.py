"""Fifty concurrent PATCHes with the same ETag: exactly one wins, on a real server."""

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from tests.support.apps import SettingsApp
from tests.support.editorial import auth, sample_treatment

WRITERS = 50


@pytest.fixture
def server_url(settings_app: SettingsApp) -> Iterator[str]:
    """An app of its own under uvicorn on a free loopback port, in a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(settings_app(), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.mark.slow
def test_fifty_concurrent_patches_with_one_etag_exactly_one_wins(
    server_url: str, keys: dict[str, str]
) -> None:
    with httpx.Client(base_url=server_url, timeout=60) as http:
        created = http.post("/v1/treatments", json=sample_treatment(), headers=auth(keys["editor"]))
        assert created.status_code == 201, created.text
        etag = created.headers["etag"]
        start = threading.Barrier(WRITERS)

        def write(n: int) -> httpx.Response:
            start.wait()
            return http.patch(
                "/v1/treatments/sample-therapy",
                json={"title": f"Writer {n} (sample)"},
                headers=auth(keys["editor"], etag),
            )

        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            responses = list(pool.map(write, range(WRITERS)))
        final = http.get("/v1/editorial/treatments/sample-therapy", headers=auth(keys["editor"]))
        history = http.get(
            "/v1/treatments/sample-therapy/revisions", headers=auth(keys["editor"])
        ).json()

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: WRITERS - 1}, {r.status_code: r.text for r in responses}
    winner = next(r for r in responses if r.status_code == 200).json()["data"]
    assert final.json()["data"]["version"] == 2
    assert final.json()["data"]["title"] == winner["title"]
    assert history["meta"]["total"] == 2
