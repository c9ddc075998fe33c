"""The rendered-document store: a cold read served from the database's copy of the answer.

The in-memory response cache is per worker and starts empty; this is the
tier behind it, shared by every worker and kept across restarts
(models/rendered_document.py). A stored document becomes the same `Entry`
a render would have produced, so it is sent exactly like a memory hit.
Lookups stay off the threadpool (too slow for a point read); any failure
of the store is a miss, never a failed read.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import asyncio
import hashlib
import logging
import math
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError

from app.db import Database
from app.http import etag as etags
from app.http.response_cache import CacheKey, Entry, Headers, not_modified_headers
from app.services.delivery import rendered_documents as rendered_document
from models.base import utcnow

if TYPE_CHECKING:  # psycopg loads only where PostgreSQL is the database
    from app.http.pg_reader import PostgresReader

logger = logging.getLogger("app.http.cold_reads")

# Where a lookup that missed leaves the generation it saw (scope["state"]), so
# the cache layer below can store the render without asking again.
GENERATION_STATE = "document_store_generation"
PRUNE_EVERY = 100
PG_CONNECTIONS = 4
# Decoded entries kept for reuse, bounded by their bodies' bytes: the
# response cache has its own bound, and these may outlive its entries.
DECODED_MAX_BYTES = 4 * 1024 * 1024
# Seconds of inline SQLite lookups between two yields to the event loop (see lookup).
YIELD_EVERY = 0.0002
_SQLITE_BUSY_SECONDS = 0.05
_COLUMNS = "g.value, d.body, d.headers, d.etag, d.route, d.surrogate_key, d.expires_at"
_LOOKUP = (
    f"SELECT {_COLUMNS} FROM rendered_generation AS g "
    "LEFT JOIN rendered_document AS d ON d.key = {param} WHERE g.id = 1"
)
_LOOKUP_SQLITE = _LOOKUP.format(param="?")
_LOOKUP_POOL = _LOOKUP.format(param="%s")  # psycopg


def store_key(key: CacheKey) -> str:
    """The cache key as a fixed-width primary key.

    Each part is length-prefixed before hashing, so no choice of path, query
    or header bytes can make one request's key equal another's.
    """
    digest = hashlib.sha256()
    for part in key:
        raw = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(b"%d:" % len(raw))
        digest.update(raw)
    return digest.hexdigest()


def encode_headers(headers: Headers) -> bytes:
    return b"\r\n".join(name + b": " + value for name, value in headers)


def decode_headers(blob: bytes) -> Headers:
    headers: Headers = []
    for line in blob.split(b"\r\n") if blob else ():
        name, _, value = line.partition(b": ")
        headers.append((name, value))
    return headers


def _epoch(value: Any) -> float:
    if value is None:
        return math.inf
    if isinstance(value, str):  # SQLite's storage format, UTC
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return float(value.timestamp())


@dataclass(frozen=True, slots=True)
class Lookup:
    """What one lookup found: the generation (None: the store cannot be used
    now) and the entry (None: a miss, or a row past its expiry)."""

    generation: int | None
    entry: Entry | None


_UNUSABLE = Lookup(None, None)


class DocumentStore:
    def __init__(
        self,
        database: Database,
        *,
        max_documents: int,
        review_grace_days: int | None,
        connect_timeout: int = 5,
    ) -> None:
        self.database = database
        self.max_documents = max_documents
        self.grace_days = review_grace_days
        self.hits = self.misses = self.stored = self.errors = 0
        url = database.engine.url
        self.sqlite_path = url.database if url.get_backend_name() == "sqlite" else None
        self._sqlite: sqlite3.Connection | None = None
        # Lookups sent to PostgreSQL (statement counts; SQLite's are traceable).
        self.pg_lookups = 0
        # What a failed lookup may raise: the driver's errors, or the socket's.
        self._errors: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)
        self._postgres: PostgresReader | None = None
        if self.sqlite_path is None:
            import psycopg

            from app.http import pg_reader

            self._errors += (psycopg.Error,)
            self._postgres = pg_reader.PostgresReader(
                url.render_as_string(hide_password=False),
                size=PG_CONNECTIONS,
                connect_timeout=connect_timeout,
            )
        # Decoded entries by store key, reused only when a lookup returns the
        # identical header and body bytes: every hit still reads the row.
        self._decoded: dict[str, tuple[bytes, Entry]] = {}
        self._decoded_bytes = 0
        self._yielded = 0.0

    async def lookup(self, key: CacheKey) -> Lookup:
        hashed = store_key(key)
        try:
            if self._postgres is None:
                # Yield to the loop at most every YIELD_EVERY seconds. Never
                # yielding starves uvicorn's socket polling; yielding on every
                # lookup starved granian instead, whose requests arrive from
                # its Rust threads and queue ahead of the yielded one. Both
                # tails were worst at the extremes (figures: bench/README.md).
                now = time.perf_counter()
                if now - self._yielded >= YIELD_EVERY:
                    self._yielded = now
                    await asyncio.sleep(0)
                row = self._sqlite_row(hashed)
            else:
                self.pg_lookups += 1
                row = await self._postgres.fetch_one(_LOOKUP_POOL, (hashed,))
        except self._errors as exc:
            self.errors += 1
            logger.warning("document store lookup failed, rendering instead: %s", exc)
            return _UNUSABLE
        if row is None:
            return _UNUSABLE
        generation, body, headers, etag, route, surrogate_key, expires_at = row
        expires = _epoch(expires_at)
        if body is None or expires <= time.time():
            self.misses += 1
            return Lookup(int(generation), None)
        self.hits += 1
        body, headers = bytes(body), bytes(headers)
        known = self._decoded.get(hashed)
        if known is not None and known[0] == headers and known[1].body == body:
            entry = known[1]  # the very bytes decoded before: reuse them, prepared wire and all
            entry.expires = expires
            return Lookup(int(generation), entry)
        tag = etag.encode("latin-1")
        stored = decode_headers(headers)
        entry = Entry(stored, body, tag, etags.match_set(tag), not_modified_headers(stored),
                      tuple(surrogate_key.split()), route=route, expires=expires)  # fmt: skip
        if self._decoded_bytes + len(body) > DECODED_MAX_BYTES:
            self._decoded.clear()
            self._decoded_bytes = 0
        self._decoded[hashed] = (headers, entry)
        self._decoded_bytes += len(body)
        return Lookup(int(generation), entry)

    def sqlite_connection(self) -> sqlite3.Connection:
        """The lookups' own SQLite connection, opened on first use (autocommit)."""
        if self._sqlite is None:
            assert self.sqlite_path is not None
            self._sqlite = sqlite3.connect(
                self.sqlite_path,
                timeout=_SQLITE_BUSY_SECONDS,
                check_same_thread=False,
                isolation_level=None,
            )
        return self._sqlite

    def _sqlite_row(self, hashed: str) -> Any:
        return self.sqlite_connection().execute(_LOOKUP_SQLITE, (hashed,)).fetchone()

    async def save(
        self, key: CacheKey, entry: Entry, *, generation: int, rendered_at: datetime
    ) -> None:
        """Store a fresh render (in the threadpool); never raises."""
        if not entry.tags:
            return  # nothing could ever purge it
        await anyio.to_thread.run_sync(self._save, key, entry, generation, rendered_at)

    def _save(self, key: CacheKey, entry: Entry, generation: int, rendered_at: datetime) -> None:
        headers = dict(entry.headers)
        try:
            with self.database.transaction() as session:
                expires_at = rendered_document.next_boundary(
                    session, now=rendered_at, grace_days=self.grace_days
                )
            if expires_at is not None:
                entry.expires = expires_at.timestamp()
                if expires_at <= utcnow():
                    return  # a boundary fell during the render: serve it once, keep nothing
            values = {
                "path": key[0] + ("?" + key[1].decode("latin-1") if key[1] else ""),
                "route": entry.route,
                "content_type": headers.get(b"content-type", b"").decode("latin-1"),
                "etag": entry.etag.decode("latin-1"),
                "surrogate_key": " ".join(entry.tags),
                "headers": encode_headers(entry.headers),
                "body": entry.body,
                "stored_at": utcnow(),
                "expires_at": expires_at,
            }
            with self.database.transaction(write=True) as session:
                saved = rendered_document.save(
                    session, generation=generation, key=store_key(key), values=values,
                    tags=entry.tags,
                )  # fmt: skip
            if saved:
                self.stored += 1
                if self.stored % PRUNE_EVERY == 0:
                    with self.database.transaction(write=True) as session:
                        rendered_document.prune(session, keep=self.max_documents)
        except SQLAlchemyError as exc:
            self.errors += 1
            logger.warning("document store: could not store %s: %s", key[0], exc)

    async def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._postgres is not None:
            await self._postgres.close()
