"""WEBHOOK_URL_ALLOWLIST: which URLs may receive webhooks, compared part by part.

A string prefix is not a boundary: `https://hooks.example.com` would also
allow `https://hooks.example.com.evil.net/` and `https://hooks.example.com@evil.net/`.
So each entry is parsed once (at settings load, where a bad entry stops
start-up) into scheme, host, port and path, and a URL is allowed only if its
parsed scheme, host and port equal an entry's and its path is the entry's
path or lies below it on a `/` boundary (`/hooks` allows `/hooks` and
`/hooks/x`, not `/hookssss`). A path with `.` or `..` segments, encoded or
not, is refused outright, since the receiver would resolve it elsewhere.
"""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, unquote, urlsplit

DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class AllowedPrefix:
    scheme: str
    host: str
    port: int
    path: str  # "" for the whole origin, else "/a/b" without a trailing slash

    def allows(self, scheme: str, host: str, port: int, path: str) -> bool:
        if (scheme, host, port) != (self.scheme, self.host, self.port):
            return False
        return not self.path or path == self.path or path.startswith(self.path + "/")


def _host(parts: SplitResult) -> str:
    return (parts.hostname or "").rstrip(".").lower()


def parse_entry(entry: str) -> AllowedPrefix:
    """One allowlist entry, or ValueError saying what is wrong with it."""
    try:
        parts = urlsplit(entry.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"WEBHOOK_URL_ALLOWLIST entry {entry!r} is not a valid URL") from exc
    scheme = parts.scheme.lower()
    problem = None
    if scheme not in DEFAULT_PORTS:
        problem = "must start with https:// (or http://)"
    elif parts.username is not None or parts.password is not None:
        problem = "must not carry user information (user@host)"
    elif not _host(parts):
        problem = "has no host"
    elif parts.query or parts.fragment or entry.strip().endswith(("?", "#")):
        problem = "must not have a query or fragment"
    elif _has_dot_segments(parts.path):
        problem = "must not have . or .. path segments"
    if problem is not None:
        raise ValueError(
            f"WEBHOOK_URL_ALLOWLIST entry {entry!r} {problem}; "
            "write scheme://host[:port][/path], e.g. https://hooks.example.com/hooks"
        )
    return AllowedPrefix(
        scheme=scheme,
        host=_host(parts),
        port=port or DEFAULT_PORTS[scheme],
        path=parts.path.rstrip("/"),
    )


def _has_dot_segments(path: str) -> bool:
    return any(unquote(segment) in (".", "..") for segment in path.split("/"))


@lru_cache(maxsize=64)
def _parsed(entries: tuple[str, ...]) -> tuple[AllowedPrefix, ...]:
    return tuple(parse_entry(entry) for entry in entries)


def allowed(url: str, entries: list[str]) -> bool:
    """Whether `url` lies under one of the entries (an empty list allows every URL).

    The caller has already refused URLs with user information or no host.
    """
    if not entries:
        return True
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or _has_dot_segments(parts.path):
        return False
    if parts.username is not None or parts.password is not None:
        return False
    host, port = _host(parts), port or DEFAULT_PORTS[scheme]
    path = parts.path or "/"
    return any(prefix.allows(scheme, host, port, path) for prefix in _parsed(tuple(entries)))
