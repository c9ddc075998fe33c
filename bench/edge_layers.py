"""What a response-cache hit (200 and 304) costs, layer by layer.

Drives the app with raw ASGI calls (no sockets, no client) so only the
app's own work is timed: the normal path without and with its edge layers
(security headers, request id, metrics, rate limit, body limit), then the
fast lane that answers hits in front of all of it, also with the JSON
access line written to /dev/null. Run: `.venv/bin/python
bench/edge_layers.py`; it builds a seeded SQLite database in a temp folder.
Figures are the best of a few rounds, so other load on the machine inflates
them less; compare rows of one run.
"""

import asyncio
import logging
import os
import tempfile
import time
from pathlib import Path

from starlette.types import Message

from app import wiring
from app.cli.migrate import upgrade
from app.config import Settings
from app.db import Database, make_engine
from app.logs import JsonFormatter
from app.main import ContentApi, create_app
from app.services.transfer.seed import load_seed, read_seed_files

PATH = "/v1/treatments/immunotherapy"
ROUNDS, CALLS = 3, 20_000


def seeded_url(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    database = Database(make_engine(Settings(database_url=url, _env_file=None)))  # type: ignore[call-arg]
    wiring.connect(database)
    with database.transaction(write=True) as session:
        load_seed(session, documents=read_seed_files())
    database.dispose()
    return url


def build(url: str, *, edge: bool, lane: bool, access_log: bool) -> ContentApi:
    settings = Settings(
        database_url=url,
        environment="test",
        access_log=access_log,
        rate_limit_anon="1000000000/minute",
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings)
    assert isinstance(app, ContentApi)
    if not edge:
        app.edge = None
    if not lane:
        app.front = None
    return app


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def per_call_us(app: ContentApi, etag: bytes | None) -> float:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": PATH, "raw_path": PATH.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"bench"), (b"accept-encoding", b"gzip"),
                    *([(b"if-none-match", etag)] if etag else [])],
        "client": ("127.0.0.1", 1), "server": ("bench", 80),
    }  # fmt: skip

    async def send(message: Message) -> None:
        return None

    for _ in range(200):  # the first call fills the cache
        await app({**scope, "state": {}}, _receive, send)
    started = time.perf_counter()
    for _ in range(CALLS):
        await app({**scope, "state": {}}, _receive, send)
    return (time.perf_counter() - started) / CALLS * 1e6


async def main() -> None:
    access = logging.getLogger("app.access")
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115
    handler.setFormatter(JsonFormatter())
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False
    with tempfile.TemporaryDirectory() as folder:
        url = seeded_url(Path(folder))
        etag = None

        async def capture(message: Message) -> None:
            nonlocal etag
            if message["type"] == "http.response.start":
                etag = dict(message["headers"])[b"etag"]

        probe = build(url, edge=True, lane=True, access_log=False)
        await probe({"type": "http", "method": "GET", "scheme": "http", "path": PATH,
                     "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
                     "headers": [(b"host", b"bench"), (b"accept-encoding", b"gzip")]},
                    _receive, capture)  # fmt: skip
        for name, edge, lane, log in (
            ("normal path without the edge layers", False, False, False),
            ("normal path with the edge layers", True, False, False),
            ("fast lane", True, True, False),
            ("fast lane with the JSON access line", True, True, True),
        ):
            app = build(url, edge=edge, lane=lane, access_log=log)
            for status, tag in (("200", None), ("304", etag)):
                best = min([await per_call_us(app, tag) for _ in range(ROUNDS)])
                print(f"{name:38s} {status}  {best:6.1f} µs per cache hit")


if __name__ == "__main__":
    asyncio.run(main())
