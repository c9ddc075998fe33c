"""Helpers for webhook tests: a real loopback HTTP receiver, settings that let
webhooks reach it, the README's verification snippet, and registration."""

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.config import Settings
from tests.support.editorial import auth

README = Path(__file__).resolve().parents[2] / "README.md"

FAST = {
    "webhook_allow_http": True,
    "webhook_allowed_networks": ["127.0.0.0/8"],
    "webhook_poll_seconds": 0.05,
    "webhook_timeout_seconds": 2.0,
    "webhook_lease_seconds": 30.0,
    "webhook_backoff_base_seconds": 0.05,
    "webhook_backoff_max_seconds": 0.2,
    "webhook_retry_window_seconds": 30.0,
}


def webhook_changes(**overrides: Any) -> dict[str, Any]:
    """What webhook tests change in the test settings (for `settings_app`)."""
    return {**FAST, "webhook_worker_enabled": False, **overrides}


def webhook_settings(settings: Settings, **overrides: Any) -> Settings:
    return settings.model_copy(update=webhook_changes(**overrides))


def readme_verifier() -> Callable[[str, dict[str, str], bytes], bool]:
    """`verify_webhook` exactly as the README prints it."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"```python\n(.*?def verify_webhook.*?)```", text, re.DOTALL)
    assert match, "README lost its verify_webhook snippet"
    namespace: dict[str, Any] = {}
    exec(match.group(1), namespace)  # the documented code, run as a receiver would
    verify: Callable[[str, dict[str, str], bytes], bool] = namespace["verify_webhook"]
    return verify


@dataclass
class Hit:
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """Answers each POST with the next status in `script` (then `then`)."""

    script: list[int] = field(default_factory=list)
    then: int = 200
    delay: float = 0.0
    hits: list[Hit] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, headers: dict[str, str], body: bytes) -> int:
        time.sleep(self.delay)
        with self.lock:
            status = self.script.pop(0) if self.script else self.then
            self.hits.append(Hit(headers, body, status))
            return status


@contextmanager
def running_receiver(receiver: Receiver, port: int = 0) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = receiver.answer(dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def register(
    client: TestClient, admin_key: str, url: str, events: list[str], **fields: Any
) -> dict[str, Any]:
    response = client.post(
        "/v1/webhooks", json={"url": url, "events": events, **fields}, headers=auth(admin_key)
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data
