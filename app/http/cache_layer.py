"""The validator, Cache-Control, Surrogate-Key, gzip and response-cache layer.

Pure ASGI, so it adds no task or threadpool hop. For GET and HEAD it answers
from the response cache when it can; otherwise it runs the route, buffers
the body and finishes the response: a strong ETag and 304s, Cache-Control,
Surrogate-Key for purges, and gzip. Only anonymous 200s under /v1/ and
/fhir/ are stored, and a hit's headers are byte-for-byte the miss's.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import asyncio
import contextlib
import gzip
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.http import etag as etags
from app.http import surrogate
from app.http.cold_reads import GENERATION_STATE, DocumentStore
from app.http.negotiation import GZIP, choose_coding
from app.http.response_cache import (
    CacheKey,
    Entry,
    Headers,
    ResponseCache,
    cache_key,
    not_modified_headers,
)
from models.base import utcnow

# Where the route template is left for the outer layers (metrics, access log):
# a hit never reaches the router, and a HEAD runs the router on a copied scope.
ROUTE_STATE = "route_template"
_EMPTY: Message = {"type": "http.response.body", "body": b""}
_COMPRESSIBLE = (b"application/json", b"application/ld+json", b"application/problem+json",
                 b"application/fhir+json", b"text/", b"application/javascript")  # fmt: skip
_STREAMED = b"application/x-ndjson"
_REPLACED = frozenset({b"content-length", b"vary", b"surrogate-key", b"cache-control", b"etag"})


def _merge_vary(existing: bytes | None, extra: bytes) -> bytes:
    if not existing:
        return extra
    names = [n.strip() for n in existing.split(b",") if n.strip()]
    if extra.lower() not in {n.lower() for n in names}:
        names.append(extra)
    return b", ".join(names)


def _is_streamed(start: Message) -> bool:
    """A streamed download (the NDJSON export) passes through unbuffered and uncached.

    Buffering it for an ETag would hold the whole export in memory; the route
    sets its own `Cache-Control: no-store`.
    """
    for name, value in start.get("headers", []):
        if bytes(name).lower() == b"content-type":
            return bytes(value).startswith(_STREAMED)
    return False


async def _send_entry(scope: Scope, send: Send, entry: Entry, if_none_match: bytes) -> None:
    """A stored answer: a 304 when If-None-Match matches its ETag, else its bytes."""
    scope.setdefault("state", {})[ROUTE_STATE] = entry.route
    if if_none_match and etags.none_match(if_none_match, entry.etag, entry.matches):
        await send({"type": "http.response.start", "status": 304,
                    "headers": entry.not_modified_headers[:]})  # fmt: skip
        await send(_EMPTY)
        return
    await send({"type": "http.response.start", "status": 200, "headers": entry.headers[:]})
    await send({"type": "http.response.body", "body": entry.body}
               if scope["method"] == "GET" else _EMPTY)  # fmt: skip


class HttpCacheMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        cache: ResponseCache | None,
        store: DocumentStore | None = None,
    ) -> None:
        self.app = app
        self.cache = cache
        self.store = store
        self.min_compress = settings.compression_min_bytes
        self.public = settings.cache_control_public.encode("latin-1")
        self.error = settings.cache_control_error.encode("latin-1")
        self.by_route = {k: v.encode("latin-1") for k, v in settings.cache_control_routes.items()}
        # Cacheable misses being rendered, by key: concurrent identical misses
        # wait for the first instead of all querying the database (a stampede
        # after a purge or at start-up, e.g. 256 connections on a cold cache).
        self._rendering: dict[CacheKey, asyncio.Event] = {}
        # Anonymous content renders at once (settings.render_slots). The
        # bound is on memory, not time: one render holds its rows, models and
        # body until it is sent, and glibc keeps each thread's peak afterwards.
        # Writes, editors' reads and probes never wait here.
        self._render_slots = asyncio.Semaphore(settings.render_slots)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method != "GET" and method != "HEAD":
            await self.app(scope, receive, send)
            return
        lang = accept = encoding = if_none_match = b""
        authorized = cookie = False
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"accept-language":
                lang = value
            elif name == b"accept-encoding":
                encoding = value
            elif name == b"if-none-match":
                if_none_match = value
            elif name == b"authorization":
                authorized = True
            elif name == b"cookie":
                cookie = True
        coding = choose_coding(encoding)
        cache, store = self.cache, self.store
        key: CacheKey | None = None
        if (cache is not None or store is not None) and not authorized and not cookie:
            key = cache_key(scope["path"], scope["query_string"], lang, accept, coding)
            if cache is not None:
                entry = cache.get(key)
                if entry is not None:
                    await _send_entry(scope, send, entry, if_none_match)
                    return
            if not surrogate.is_tagged_path(scope["path"]):
                key = None
        if key is None:
            await self._miss(scope, receive, send, coding, if_none_match, authorized, None)
            return
        leader = self._rendering.get(key)
        if leader is not None:
            # Someone is already rendering exactly these bytes: wait and share them.
            await leader.wait()
            if await self._answer_stored(scope, send, key, if_none_match, again=True):
                return
            # Not stored (an error, no-store, purged meanwhile): render our own.
            await self._miss(scope, receive, send, coding, if_none_match, authorized, key)
            return
        done = self._rendering[key] = asyncio.Event()
        try:
            if not await self._answer_stored(scope, send, key, if_none_match):
                await self._miss(scope, receive, send, coding, if_none_match, authorized, key)
        finally:
            del self._rendering[key]
            done.set()

    async def _answer_stored(
        self, scope: Scope, send: Send, key: CacheKey, if_none_match: bytes, *, again: bool = False
    ) -> bool:
        """Answer from memory or the document store if either has it now.

        A lookup the fast lane already made (and missed) is not repeated,
        unless `again` (a render of this key finished meanwhile): it left the
        generation it saw for `_miss` to store the render under.
        """
        cache, store = self.cache, self.store
        if cache is not None:
            entry = cache.find(key)
            if entry is not None:
                await _send_entry(scope, send, entry, if_none_match)
                return True
        state = scope.setdefault("state", {})
        if store is None or (GENERATION_STATE in state and not again):
            return False
        generation = cache.generation if cache is not None else 0
        found = await store.lookup(key)
        state[GENERATION_STATE] = found.generation
        if found.entry is None:
            return False
        if cache is not None:
            cache.put(key, found.entry, generation=generation)
        await _send_entry(scope, send, found.entry, if_none_match)
        return True

    async def _miss(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        coding: str,
        if_none_match: bytes,
        authorized: bool,
        key: CacheKey | None,
    ) -> None:
        # Before anything is read: a later purge must stop this render being kept.
        generation = self.cache.generation if self.cache is not None else 0
        rendered_at = utcnow()
        head = scope["method"] == "HEAD"
        inner = {**scope, "method": "GET"} if head else scope
        start: Message | None = None
        chunks: list[bytes] = []
        streamed = False

        async def capture(message: Message) -> None:
            nonlocal start, streamed
            if message["type"] == "http.response.start" and _is_streamed(message):
                streamed = True
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and streamed:
                await send({**message, "body": b""} if head else message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            else:
                await send(message)

        public = not authorized and surrogate.is_tagged_path(scope["path"])
        async with self._render_slots if public else contextlib.nullcontext():
            await self.app(inner, receive, capture)
            if start is None:
                return
            status: int = start["status"]
            body = b"".join(chunks)
            entry = self._finish(inner, status, start.get("headers", []), body, coding, authorized)
        if (
            if_none_match
            and status == 200
            and entry.etag
            and etags.none_match(if_none_match, entry.etag, entry.matches)
        ):
            await send({"type": "http.response.start", "status": 304,
                        "headers": entry.not_modified_headers[:]})  # fmt: skip
            await send(_EMPTY)
        else:
            await send({"type": "http.response.start", "status": status,
                        "headers": entry.headers[:]})  # fmt: skip
            await send({"type": "http.response.body", "body": b"" if head else entry.body})
        if key is None or status != 200 or not entry.etag:
            return
        cache_control = dict(entry.headers).get(b"cache-control", b"")
        if b"no-store" in cache_control or b"private" in cache_control:
            return
        if self.cache is not None:
            self.cache.put(key, entry, generation=generation)
        stored_generation = scope.get("state", {}).get(GENERATION_STATE)
        if self.store is not None and stored_generation is not None:
            await self.store.save(key, entry, generation=stored_generation, rendered_at=rendered_at)

    def _finish(
        self,
        scope: Scope,
        status: int,
        raw_headers: Any,
        body: bytes,
        coding: str,
        authorized: bool,
    ) -> Entry:
        """Headers and body as they go on the wire, packaged as a cache entry."""
        headers: Headers = []
        found: dict[bytes, bytes] = {}
        for name, value in raw_headers:
            lname = bytes(name).lower()
            if lname in _REPLACED:
                found[lname] = bytes(value)
            else:
                if lname in {b"content-type", b"content-encoding"}:
                    found[lname] = bytes(value)
                headers.append((lname, bytes(value)))
        route = scope.get("route")
        template: str = getattr(route, "path", "") or scope["path"]
        media_type = found.get(b"content-type", b"")
        success = 200 <= status < 300 and status != 204

        tag = found.get(b"etag", b"")
        tags: tuple[str, ...] = ()
        if success:
            keys = found.get(b"surrogate-key", b"").decode("latin-1").split()
            if surrogate.is_tagged_path(scope["path"]):
                keys = self._surrogate_keys(keys, media_type, body, template)
            tags = tuple(keys)
            if tags:
                headers.append((b"surrogate-key", " ".join(tags).encode("latin-1")))
        compress = (
            coding == GZIP
            and len(body) > self.min_compress
            and b"content-encoding" not in found
            and media_type.startswith(_COMPRESSIBLE)
        )
        if success and not tag:
            tag = etags.strong_etag(etags.entity_hash(body, media_type), gzip=compress)
        if tag:
            headers.append((b"etag", tag))
        if authorized:
            cache_control = b"no-store"
        elif not success:
            cache_control = self.error
        else:
            cache_control = found.get(b"cache-control") or self.by_route.get(template, self.public)
        headers.append((b"cache-control", cache_control))
        headers.append((b"vary", _merge_vary(found.get(b"vary"), b"Accept-Encoding")))
        if compress:
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers.append((b"content-encoding", b"gzip"))
        not_modified = not_modified_headers(headers)
        headers.append((b"content-length", str(len(body)).encode("ascii")))
        matches = etags.match_set(tag) if tag else frozenset()
        if route is not None:
            scope.setdefault("state", {})[ROUTE_STATE] = template
        return Entry(headers, body, tag, matches, not_modified, tags, route=template)

    @staticmethod
    def _surrogate_keys(
        keys: list[str], media_type: bytes, body: bytes, template: str
    ) -> list[str]:
        if keys:
            return list(dict.fromkeys([*keys, *surrogate.route_tags(template)[1]]))
        if b"json" not in media_type:
            return list(surrogate.route_tags(template)[1])
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError:
            return list(surrogate.route_tags(template)[1])
        return surrogate.collect(document, template)
