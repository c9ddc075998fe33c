"""The fast lane: a response-cache hit answered before any framework code runs.

The outermost ASGI callable (`ContentApi.__call__` hands it every request).
A hit through the whole stack would pay for FastAPI's and Starlette's
`__call__` and five edge layers; here it costs a header scan, a dict lookup
and two sends, with the edge layers' work done by the same functions they
use. Everything else (a miss, credentials, a body, CORS origins, a 429)
takes the normal path, which stays the definition of an answer.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import logging
from dataclasses import dataclass
from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http import etag as etags
from app.http.client_ip import ClientIpResolver
from app.http.cold_reads import GENERATION_STATE, DocumentStore
from app.http.cors import merge_vary
from app.http.metrics import Metrics
from app.http.negotiation import choose_coding
from app.http.observe import REQUEST_ID_HEADER, log_access, logger, request_id
from app.http.rate_limit import DECIDED_STATE, EXEMPT_PATHS, Limiter, anonymous_decision
from app.http.response_cache import CacheKey, Entry, Headers, ResponseCache, cache_key
from app.http.security import SecurityPolicy
from app.http.surrogate import is_tagged_path

_EMPTY: Message = {"type": "http.response.body", "body": b""}
# Headers that send a request down the normal path (see the module docstring).
_NORMAL_PATH = frozenset({b"authorization", b"cookie", b"content-length", b"transfer-encoding"})


@dataclass(frozen=True, slots=True)
class Wire:
    """One entry's final headers, split where the per-request ones go."""

    ok_head: Headers
    ok_tail: Headers
    not_modified_head: Headers
    not_modified_tail: Headers


@dataclass(frozen=True, slots=True)
class RateLimit:
    limiter: Limiter
    anonymous: tuple[int, int]
    ipv6_prefix: int


class FastLane:
    def __init__(
        self,
        app: ASGIApp,
        *,
        cache: ResponseCache | None,
        store: DocumentStore | None,
        security: SecurityPolicy,
        cors: bool,
        rate_limit: RateLimit | None,
        resolver: ClientIpResolver,
        metrics: Metrics | None,
        access_log: bool,
    ) -> None:
        self.app = app
        self.cache = cache
        self.store = store
        self.security = security
        self.cors = cors
        self.rate_limit = rate_limit
        self.resolver = resolver
        self.metrics = metrics
        self.access_log = access_log
        self.normal_path = _NORMAL_PATH | {b"origin"} if cors else _NORMAL_PATH

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method != "GET" and method != "HEAD":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        lang = accept = encoding = if_none_match = b""
        given: bytes | None = None
        normal_path = self.normal_path
        # The same picks as the layers': the last Accept*, the first X-Request-ID.
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"accept-language":
                lang = value
            elif name == b"accept-encoding":
                encoding = value
            elif name == b"if-none-match":
                if_none_match = value
            elif name == REQUEST_ID_HEADER:
                if given is None:
                    given = value
            elif name in normal_path:
                await self.app(scope, receive, send)
                return
        path: str = scope["path"]
        key = cache_key(path, scope["query_string"], lang, accept, choose_coding(encoding))
        cache = self.cache
        entry = cache.find(key) if cache is not None else None
        memory_hit = entry is not None
        if entry is None:
            entry = await self._stored(scope, key, path)
            if entry is None:
                await self.app(scope, receive, send)
                return
        wire = entry.wire
        if wire is None:
            wire = entry.wire = self._prepare(entry)
        if wire is False:
            await self.app(scope, receive, send)
            return
        client_ip = ""
        if self.access_log or self.rate_limit is not None:
            client_ip = self.resolver.resolve(scope)
        limits: Headers = []
        rate_limit = self.rate_limit
        if rate_limit is not None and path not in EXEMPT_PATHS:
            decision = await anonymous_decision(
                rate_limit.limiter, rate_limit.anonymous, client_ip, rate_limit.ipv6_prefix
            )
            if decision is not None:
                if not decision.allowed:
                    scope.setdefault("state", {})[DECIDED_STATE] = decision
                    await self.app(scope, receive, send)
                    return
                limits = decision.headers()
        rid = request_id(given)
        if if_none_match and etags.none_match(if_none_match, entry.etag, entry.matches):
            status = 304
            headers = [*wire.not_modified_head, *limits, (REQUEST_ID_HEADER, rid.encode()),
                       *wire.not_modified_tail]  # fmt: skip
            body = _EMPTY
        else:
            status = 200
            headers = [*wire.ok_head, *limits, (REQUEST_ID_HEADER, rid.encode()), *wire.ok_tail]
            body = {"type": "http.response.body", "body": entry.body} if method == "GET" else _EMPTY
        if memory_hit and cache is not None:
            cache.hits += 1
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send(body)
        finally:
            seconds = perf_counter() - started
            if self.metrics is not None:
                self.metrics.observe(method, entry.route, status, seconds)
            if self.access_log and logger.isEnabledFor(logging.INFO):
                log_access(method, entry.route, status, seconds, rid, client_ip)

    async def _stored(self, scope: Scope, key: CacheKey, path: str) -> Entry | None:
        """The document store's entry for `key`, also put in the memory cache."""
        store = self.store
        if store is None or not is_tagged_path(path):
            return None
        cache = self.cache
        generation = cache.generation if cache is not None else 0
        found = await store.lookup(key)
        if found.entry is None:
            scope.setdefault("state", {})[GENERATION_STATE] = found.generation
            return None
        if cache is not None:
            cache.put(key, found.entry, generation=generation)
        return found.entry

    def _prepare(self, entry: Entry) -> Wire | bool:
        """The entry's headers as the edge layers would leave them; False if the
        lane cannot reproduce them (never for what the cache stores today)."""
        ok = self._final(entry.headers)
        not_modified = self._final(entry.not_modified_headers)
        if ok is None or not_modified is None:
            return False
        return Wire(ok[0], ok[1], not_modified[0], not_modified[1])

    def _final(self, stored: Headers) -> tuple[Headers, Headers] | None:
        headers = list(stored)
        if self.cors:
            merge_vary(headers)
            if len(headers) != len(stored):
                return None  # a Vary appended after the per-request headers
        return self.security.split(headers, False)
