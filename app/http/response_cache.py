"""A bounded in-memory LRU of finished responses, tagged for precise purging.

An entry holds exactly what the wire needs (status-200 and status-304 header
lists, the already-compressed body), so a hit sends prepared bytes without
routing, the database or Pydantic.

Reads (`get`) take no lock: one C-level OrderedDict lookup and `move_to_end`
are atomic under the GIL, and a purge racing a hit at worst serves the old
bytes to a request that arrived before the purge finished. Writes hold a lock
because they touch the entry map, the tag index and the byte count together.
Every purge bumps `generation`; a miss that started before a purge does not
store its (possibly stale) result.
"""

import math
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# (path, sorted query, host, Accept-Language, Accept, scheme, content-coding)
# (path, normal query, Accept-Language, Accept, content coding). Not Host nor
# scheme: every absolute link is made under PUBLIC_BASE_URL (app/api/links.py),
# so they cannot change a body; keying on them only split one page across
# entries per made-up Host.
CacheKey = tuple[str, bytes, bytes, bytes, str]
Headers = list[tuple[bytes, bytes]]
_ENTRY_OVERHEAD = 512
# What one tag of an entry costs beyond its characters: the string object, a
# slot in `_by_tag` and the set of keys behind it. A list page's tag index can
# outweigh its gzipped body, so the byte bound has to count them (figures:
# bench/README.md, "Measurements behind bounds in the code").
_TAG_OVERHEAD = 300
_DROP_ON_304 = frozenset(
    {b"content-length", b"content-type", b"content-encoding", b"content-language"}
)

_live: "weakref.WeakSet[ResponseCache]" = weakref.WeakSet()
_live_lock = threading.Lock()


@dataclass(slots=True)
class Entry:
    headers: Headers
    body: bytes
    etag: bytes
    matches: frozenset[bytes]
    not_modified_headers: Headers
    tags: tuple[str, ...] = ()
    size: int = field(default=0)
    # The route template that produced it, so a hit is still counted per route.
    route: str = ""
    # The fast lane's final wire headers (`app.http.fast_lane`), made on the
    # first hit; one cache belongs to one app, so one slot is enough.
    wire: Any = None
    # Epoch seconds after which the entry may be wrong (a schedule or review
    # boundary; known once the document store has computed it), else infinity.
    expires: float = math.inf


def not_modified_headers(headers: Headers) -> Headers:
    """A 200's headers minus those a 304 must not repeat (its body's own)."""
    return [(k, v) for k, v in headers if k not in _DROP_ON_304]


def entry_size(entry: Entry) -> int:
    """The bytes an entry holds, as counted against `max_bytes`: body, both
    header lists, its tags and their index, and a fixed overhead."""
    headers = sum(len(k) + len(v) for k, v in entry.headers)
    tags = sum(len(tag) + _TAG_OVERHEAD for tag in entry.tags)
    return len(entry.body) + headers * 2 + tags + _ENTRY_OVERHEAD


def _param_name(part: bytes) -> bytes:
    return part.partition(b"=")[0]


# Sorting a query string costs several microseconds, as much as the rest of a
# cache hit; the same few query strings arrive again and again, so their
# normal form is remembered (short ones only, and a bounded number of them).
_normal_queries: dict[bytes, bytes] = {}
_MAX_NORMAL_QUERIES = 4096
_MAX_REMEMBERED_QUERY = 512


def _normal_query(query: bytes) -> bytes:
    normal = _normal_queries.get(query)
    if normal is not None:
        return normal
    parts: list[bytes] = sorted(query.split(b"&"), key=_param_name)
    normal = b"&".join(parts)
    if len(query) <= _MAX_REMEMBERED_QUERY:
        if len(_normal_queries) >= _MAX_NORMAL_QUERIES:
            _normal_queries.clear()
        _normal_queries[query] = normal
    return normal


def cache_key(path: str, query: bytes, lang: bytes, accept: bytes, coding: str) -> CacheKey:
    """The one key both lookups use (the fast lane and `HttpCacheMiddleware`).

    Parameters are ordered by name (repeats of one name keep their order), so
    `?a=1&b=2` and `?b=2&a=1` share an entry.
    """
    if b"&" in query:
        query = _normal_query(query)
    return (path, query, lang, accept, coding)


class ResponseCache:
    """Entries bounded by count and by bytes; least recently used go first."""

    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.generation = 0
        self.hits = 0
        self.misses = 0
        self.bytes = 0
        self._entries: OrderedDict[CacheKey, Entry] = OrderedDict()
        self._by_tag: dict[str, set[CacheKey]] = {}
        self._lock = threading.Lock()
        with _live_lock:
            _live.add(self)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> Entry | None:
        entry = self.find(key)
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def find(self, key: CacheKey) -> Entry | None:
        """A lookup that counts nothing: the fast lane counts a hit only once it
        has answered, and leaves a miss to `get` on the normal path (one miss,
        counted once)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires != math.inf and entry.expires <= time.time():
            with self._lock:
                self._remove(key)
            return None
        try:
            self._entries.move_to_end(key)
        except KeyError:  # purged by another thread since the lookup
            return entry
        return entry

    def put(self, key: CacheKey, entry: Entry, *, generation: int) -> None:
        entry.size = entry_size(entry)
        if entry.size > self.max_bytes:
            return
        with self._lock:
            if generation != self.generation:
                return
            self._remove(key)
            self._entries[key] = entry
            self.bytes += entry.size
            for tag in entry.tags:
                self._by_tag.setdefault(tag, set()).add(key)
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                self._remove(next(iter(self._entries)))

    def invalidate(self, tags: Iterable[str]) -> int:
        """Drop every entry carrying any of `tags`; returns how many went."""
        with self._lock:
            self.generation += 1
            keys: set[CacheKey] = set()
            for tag in tags:
                keys |= self._by_tag.get(tag, set())
            for key in keys:
                self._remove(key)
            return len(keys)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self._by_tag.clear()
            self.bytes = 0

    def _remove(self, key: CacheKey) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self.bytes -= entry.size
        for tag in entry.tags:
            keys = self._by_tag.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_tag[tag]


def live_caches() -> list[ResponseCache]:
    """Every response cache in this process (one per app; tests build many)."""
    with _live_lock:
        return list(_live)
