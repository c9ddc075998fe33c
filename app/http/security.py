"""Security headers on every answer: cache hits, 304s and problems included.

The outermost layer (see `install.py`), so nothing can answer without them:
nosniff, no-referrer, optional HSTS (off until TLS is known to work), a
strict CSP on HTML with `frame-ancestors` from the portal allow-list,
`no-store` for any request with Authorization, and no `Server` header.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What a CSP source list may safely hold: an origin, or `*` meaning any site.
_ORIGIN = re.compile(r"^(\*|https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)$")
_CSP = b"content-security-policy"
Headers = list[tuple[bytes, bytes]]
_WATCHED = frozenset(
    {b"content-type", _CSP, b"server", b"cache-control", b"x-content-type-options",
     b"referrer-policy", b"strict-transport-security"}
)  # fmt: skip


def frame_ancestors(origins: list[str]) -> str:
    """The portal allow-list (CORS_ORIGINS) as a CSP source list; `'none'` when empty."""
    sources = [origin.rstrip("/") for origin in origins if _ORIGIN.match(origin.rstrip("/"))]
    return " ".join(["*"] if "*" in sources else sources) or "'none'"


def html_policy(origins: list[str]) -> str:
    """For HTML pages that set no policy of their own: nothing may load or run."""
    return (
        "default-src 'none'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {frame_ancestors(origins)}"
    )


class SecurityPolicy:
    """The headers this layer adds, shared by the middleware and the fast lane."""

    def __init__(self, *, hsts_seconds: int, frame_origins: list[str]) -> None:
        self.always: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if hsts_seconds > 0:
            self.always.append((b"strict-transport-security", b"max-age=%d" % hsts_seconds))
        self.html_csp = html_policy(frame_origins).encode("latin-1")

    def split(
        self, headers: Iterable[tuple[bytes, bytes]], authorized: bool
    ) -> tuple[Headers, Headers]:
        """(the headers kept, in order; the headers appended after them).

        Split so the fast lane can prepare both halves once per cache entry
        and put the per-request headers between them, exactly where the
        normal path has them by the time they reach this, the outermost layer.
        """
        # ASGI header names are lowercase already; only a few names matter here.
        kept: Headers = []
        present: set[bytes] = set()
        html = False
        for item in headers:
            name = item[0]
            if name in _WATCHED:
                if name == b"server" or (authorized and name == b"cache-control"):
                    continue
                if name == b"content-type":
                    html = item[1].startswith(b"text/html")
                else:
                    present.add(name)
            kept.append(item)
        added = [item for item in self.always if item[0] not in present]
        if html and _CSP not in present:
            added.append((_CSP, self.html_csp))
        if authorized:
            added.append((b"cache-control", b"no-store"))
        return kept, added


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, policy: SecurityPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authorized = any(name == b"authorization" for name, _ in scope["headers"])

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept, added = self.policy.split(message.get("headers", ()), authorized)
                kept += added
                message = {**message, "headers": kept}
            await send(message)

        await self.app(scope, receive, send_secured)
