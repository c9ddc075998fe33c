"""Bodies over MAX_BODY_BYTES: refused up front by length, or mid-stream when chunked."""

import asyncio
from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.types import Message

from app.http.body_limit import BodyLimitMiddleware
from tests.support.apps import SettingsApp

LIMIT = 1000


@pytest.fixture
def echo_app(settings_app: SettingsApp) -> FastAPI:
    app = settings_app(max_body_bytes=LIMIT)

    @app.post("/echo-length")
    async def echo_length(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    return app


def _chunks(total: int, size: int = 100) -> Iterator[bytes]:
    for _ in range(total // size):
        yield b"x" * size


def test_a_declared_length_over_the_limit_is_refused_with_a_413_problem(
    echo_app: FastAPI,
) -> None:
    with TestClient(echo_app) as client:
        answer = client.post("/echo-length", content=b"x" * (LIMIT + 1))
        fits = client.post("/echo-length", content=b"x" * LIMIT)

    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == f"The request body exceeds the limit of {LIMIT} bytes."
    assert answer.json()["request_id"] == answer.headers["x-request-id"]
    assert fits.json() == {"received": LIMIT}


def test_a_chunked_body_is_counted_and_refused_once_it_crosses_the_limit(
    echo_app: FastAPI,
) -> None:
    with TestClient(echo_app) as client:
        answer = client.post("/echo-length", content=_chunks(LIMIT * 3))
        fits = client.post("/echo-length", content=_chunks(LIMIT))

    assert answer.status_code == 413
    assert answer.json()["status"] == 413
    assert fits.json() == {"received": LIMIT}


def test_the_rest_of_an_oversized_stream_is_never_read() -> None:
    """Straight over ASGI, with an endless body: reading stops at the crossing chunk."""
    reads = 0
    sent: list[Message] = []

    async def endless() -> Message:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 100, "more_body": True}

    async def record(message: Message) -> None:
        sent.append(message)

    async def drain(scope: object, receive: object, send: object) -> None:
        request = Request(scope, receive)  # type: ignore[arg-type]
        try:
            async for _ in request.stream():
                pass
        except Exception:
            await send({"type": "http.response.start", "status": 400, "headers": []})  # type: ignore[operator]
            await send({"type": "http.response.body", "body": b""})  # type: ignore[operator]

    scope = {"type": "http", "method": "POST", "path": "/x", "query_string": b"",
             "headers": [(b"transfer-encoding", b"chunked")],
             "scheme": "http", "server": ("t", 80), "root_path": "", "state": {}}  # fmt: skip
    asyncio.run(BodyLimitMiddleware(drain, max_bytes=LIMIT)(scope, endless, record))

    assert reads == LIMIT // 100 + 1
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [413]


def test_a_request_without_length_or_chunking_has_no_body_to_count() -> None:
    seen: list[object] = []

    async def app(scope: object, receive: object, send: object) -> None:
        seen.append(receive)

    async def receive() -> Message:
        raise AssertionError("not read here")

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "http_version": "1.1"}
    asyncio.run(BodyLimitMiddleware(app, max_bytes=LIMIT)(scope, receive, receive))  # type: ignore[arg-type]

    assert seen == [receive], "passed straight through, receive not wrapped"


def test_an_invalid_content_length_is_a_400(echo_app: FastAPI) -> None:
    async def call() -> list[Message]:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/echo-length", "query_string": b"",
                 "headers": [(b"content-length", b"-5")], "scheme": "http", "state": {},
                 "server": ("t", 80), "root_path": "", "http_version": "1.1"}  # fmt: skip
        await BodyLimitMiddleware(echo_app, max_bytes=LIMIT)(scope, receive, send)
        return sent

    assert asyncio.run(call())[0]["status"] == 400
