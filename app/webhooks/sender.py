"""One HTTP attempt: check the target, sign, POST, classify the answer.

The request goes to the address `targets.check_url` approved (with the
original Host header and TLS server name), redirects are not followed, no
proxy from the environment is used, and the answer's body is never read:
only a 2xx status counts as delivered.
"""

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from app.webhooks import signing
from app.webhooks.targets import TargetRefused, check_url

if TYPE_CHECKING:  # the settings type only: config imports app.webhooks.allowlist
    from app.config import Settings

USER_AGENT = "treatment-content-api-webhooks"
MAX_ERROR_CHARS = 300


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: int


def make_client(settings: "Settings") -> httpx.Client:
    return httpx.Client(
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT},
        # Pooled connections are keyed by the pinned IP, so a kept-alive TLS
        # session verified for one host could carry another host's delivery.
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def _short(message: str) -> str:
    return message if len(message) <= MAX_ERROR_CHARS else message[: MAX_ERROR_CHARS - 1] + "…"


def send(
    client: httpx.Client,
    settings: "Settings",
    *,
    url: str,
    secret: str,
    delivery_id: str,
    body: bytes,
) -> Outcome:
    started = time.monotonic()

    def outcome(ok: bool, status: int | None, error: str | None) -> Outcome:
        took = int((time.monotonic() - started) * 1000)
        return Outcome(ok, status, _short(error) if error else None, took)

    try:
        target = check_url(url, settings)
    except TargetRefused as exc:
        return outcome(False, None, f"refused: {exc}")
    pinned = httpx.URL(url).copy_with(host=target.address)
    default_port = 443 if target.scheme == "https" else 80
    host = target.host if ":" not in target.host else f"[{target.host}]"
    headers = {
        **signing.headers(secret, delivery_id, body),
        "Content-Type": "application/json",
        "Host": host if target.port == default_port else f"{host}:{target.port}",
    }
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        request = client.build_request(
            "POST", pinned, content=body, headers=headers, extensions=extensions
        )
        response = client.send(request, stream=True)
        response.close()
    except httpx.TimeoutException:
        return outcome(False, None, f"timed out after {settings.webhook_timeout_seconds:g} s")
    except httpx.HTTPError as exc:
        return outcome(False, None, f"{type(exc).__name__}: {exc}")
    if 200 <= response.status_code < 300:
        return outcome(True, response.status_code, None)
    return outcome(False, response.status_code, f"HTTP {response.status_code}")
