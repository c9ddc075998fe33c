"""CORS for the portal origins in settings; none by default.

Hand-written rather than Starlette's CORSMiddleware because a refused origin
must get no CORS headers at all and a refused preflight must be an RFC 9457
problem like every other error. It sits outside the response cache, so
cached entries never hold one origin's headers; `Vary: Origin` goes on every
answer so a CDN keeps origins apart.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.problem import problem_response

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS = ("authorization", "if-match", "if-none-match", "content-type",
                   "accept", "accept-language")  # fmt: skip
EXPOSED_HEADERS = ("ETag", "Content-Language", "Location", "Retry-After", "X-Request-ID",
                   "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")  # fmt: skip
MAX_AGE = 600


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def merge_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`Origin` added to Vary, in place; the fast lane prepares hits with it too."""
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            if b"origin" not in value.lower():
                headers[i] = (name, value + b", Origin")
            return headers
    headers.append((b"vary", b"Origin"))
    return headers


class CorsMiddleware:
    def __init__(self, app: ASGIApp, *, origins: list[str], allow_credentials: bool) -> None:
        self.app = app
        self.any_origin = "*" in origins
        self.origins = frozenset(o.rstrip("/").encode("latin-1") for o in origins)
        self.credentials = allow_credentials
        self.methods = frozenset(SAFE_METHODS + WRITE_METHODS)
        self.exposed = ", ".join(EXPOSED_HEADERS).encode("latin-1")

    def _allowed(self, origin: bytes) -> bool:
        return self.any_origin or origin in self.origins

    def _allow_origin(self, origin: bytes) -> list[tuple[bytes, bytes]]:
        value = b"*" if self.any_origin and not self.credentials else origin
        headers = [(b"access-control-allow-origin", value)]
        if self.credentials:
            headers.append((b"access-control-allow-credentials", b"true"))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = request_method = request_headers = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                request_method = value
            elif name == b"access-control-request-headers":
                request_headers = value
        if scope["method"] == "OPTIONS" and origin is not None and request_method is not None:
            await self._preflight(scope, send, origin, request_method, request_headers or b"")
            return
        extra = self._allow_origin(origin) if origin and self._allowed(origin) else []
        if extra:
            extra.append((b"access-control-expose-headers", self.exposed))

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = merge_vary([*message.get("headers", ()), *extra])
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(
        self, scope: Scope, send: Send, origin: bytes, method: bytes, requested: bytes
    ) -> None:
        wanted = {h.strip().lower() for h in requested.decode("latin-1").split(",") if h.strip()}
        refused = None
        if not self._allowed(origin):
            refused = "This origin is not allowed to call the API from a browser."
        elif method.decode("latin-1").upper() not in self.methods:
            refused = f"Method {method.decode('latin-1')} is not allowed."
        elif not wanted <= set(ALLOWED_HEADERS):
            refused = f"Header(s) not allowed: {', '.join(sorted(wanted - set(ALLOWED_HEADERS)))}."
        if refused is not None:
            problem = problem_response(
                Request(scope),
                status=403,
                title="CORS request refused",
                detail=refused,
                slug="cors-refused",
                headers={"Vary": "Origin", "Cache-Control": "no-store"},
            )
            await problem(scope, _no_body, send)
            return
        headers = [
            *self._allow_origin(origin),
            (b"access-control-allow-methods", ", ".join(SAFE_METHODS + WRITE_METHODS).encode()),
            (b"access-control-allow-headers", ", ".join(ALLOWED_HEADERS).encode()),
            (b"access-control-max-age", str(MAX_AGE).encode()),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
            (b"cache-control", b"no-store"),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
