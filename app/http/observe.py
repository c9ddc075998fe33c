"""Request ids, the access log and request metrics, for every answer.

Sits outside the response cache and the rate limiter (see `install.py`), so
a cache hit, a 304, a 413 and a 429 are all counted, logged and carry the
request id. The access line holds the route template, never the query
string (it may carry a pasted secret), headers or bodies.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import logging
import os
import re
from time import perf_counter

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import MethodNotAllowed
from app.http.cache_layer import ROUTE_STATE
from app.http.client_ip import ClientIpResolver
from app.http.metrics import Metrics
from app.http.problem import send_problem

logger = logging.getLogger("app.access")

REQUEST_ID_HEADER = b"x-request-id"
UNMATCHED_ROUTE = "unmatched"
_VALID_ID = re.compile(rb"^[A-Za-z0-9._-]{1,128}$")
_METRICS_TYPE = b"text/plain; version=0.0.4; charset=utf-8"


def request_id(given: bytes | None) -> str:
    """The caller's id when it is safe to echo, else 128 fresh random bits in hex.

    The same 32 hex digits as `uuid4().hex`, without building a UUID: every
    request, a cache hit included, pays for this.
    """
    return given.decode("ascii") if given and _VALID_ID.match(given) else os.urandom(16).hex()


def log_access(
    method: str, route: str, status: int, seconds: float, request_id: str, client_ip: str
) -> None:
    """The access line; the caller has checked that INFO is enabled."""
    logger.info(
        "request",
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "request_id": request_id,
            "client_ip": client_ip,
        },
    )


def route_template(scope: Scope) -> str:
    """The matched route's template; never the raw path, to bound label values."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    template = scope.get("state", {}).get(ROUTE_STATE)
    return template if isinstance(template, str) else UNMATCHED_ROUTE


class ObservabilityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics | None,
        resolver: ClientIpResolver,
        access_log: bool,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.resolver = resolver
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        given = None
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER:
                given = value
                break
        rid = request_id(given)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        client_ip = state["client_ip"] = self.resolver.resolve(scope)
        id_header = (REQUEST_ID_HEADER, rid.encode("ascii"))
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), id_header]}
            await send(message)

        try:
            if self.metrics is not None and scope["path"] == "/metrics":
                await self._serve_metrics(scope, receive, send_with_id)
                state[ROUTE_STATE] = "/metrics"
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            seconds = perf_counter() - started
            route = route_template(scope)
            if self.metrics is not None:
                self.metrics.observe(scope["method"], route, status, seconds)
            if self.access_log and logger.isEnabledFor(logging.INFO):
                log_access(scope["method"], route, status, seconds, rid, client_ip)

    async def _serve_metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.metrics is not None
        if scope["method"] not in ("GET", "HEAD"):
            refused = MethodNotAllowed(
                f"{scope['method']} is not allowed on /metrics", headers={"Allow": "GET, HEAD"}
            )
            await send_problem(scope, receive, send, refused)
            return
        # Off the event loop: a registered gauge may query the database.
        body = await anyio.to_thread.run_sync(self.metrics.render)
        headers = [
            (b"content-type", _METRICS_TYPE),
            (b"cache-control", b"no-store"),
            (b"content-length", str(len(body)).encode("ascii")),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
