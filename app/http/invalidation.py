"""Purging cached responses when content changes, on this worker and the others.

A `changes` subscriber records each write's tags inside its transaction;
after the commit this process purges its own caches at once, so a publish
is never followed by stale content on the worker that made it. Other
workers learn of it through LISTEN/NOTIFY on PostgreSQL, or by polling
`PRAGMA data_version` on SQLite (coarse: it clears the whole cache). The
rendered-document store is purged inside the writing transaction itself.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import logging
import select
import socket
import sqlite3
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import func, make_url
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session, sessionmaker

from app.content.kinds import KINDS_BY_NAME
from app.http.response_cache import ResponseCache, live_caches
from app.http.surrogate import change_tags
from app.services.change_hook import Action, Change, ChangeHook
from app.services.delivery import rendered_documents as rendered_document
from models.base import Status

if TYPE_CHECKING:
    import psycopg

logger = logging.getLogger("app.http.invalidation")

CHANNEL = "content_changed"
PENDING = "http_cache_pending_tags"
STORE_CLEAR = "document_store_clear"
GENERATION_SQL = "SELECT value FROM rendered_generation WHERE id = 1"
PROCESS_TOKEN = uuid.uuid4().hex
_INVISIBLE_EDITS = frozenset({Action.created, Action.updated, Action.reviewed})


def record_change(session: Session, *, change: Change) -> None:
    """The `changes` subscriber: remember the tags; on PostgreSQL queue a NOTIFY."""
    item = change.item
    if item.status != Status.published and change.action in _INVISIBLE_EDITS:
        return
    kind = KINDS_BY_NAME[change.kind].path if change.kind in KINDS_BY_NAME else change.kind
    tags = change_tags(kind, item.id)
    session.info.setdefault(PENDING, set()).update(tags)
    if session.get_bind().dialect.name == "postgresql":
        payload = orjson.dumps({"token": PROCESS_TOKEN, "tags": sorted(tags)}).decode()
        session.execute(sql_select(func.pg_notify(CHANNEL, payload)))


NOTIFY_TAGS = 100  # pg_notify payloads are limited to 8000 bytes


def record_bulk(session: Session, *, kind_path: str, item_ids: Sequence[str]) -> None:
    """What `record_change` does, for many items of one kind at once (bulk import)."""
    tags: set[str] = set()
    for item_id in item_ids:
        tags |= change_tags(kind_path, item_id)
    session.info.setdefault(PENDING, set()).update(tags)
    session.info[STORE_CLEAR] = True
    if session.get_bind().dialect.name == "postgresql":
        ordered = sorted(tags)
        for start in range(0, len(ordered), NOTIFY_TAGS):
            chunk = ordered[start : start + NOTIFY_TAGS]
            payload = orjson.dumps({"token": PROCESS_TOKEN, "tags": chunk}).decode()
            session.execute(sql_select(func.pg_notify(CHANNEL, payload)))


def record_bulk_change(
    session: Session, *, kind_name: str, ids: Sequence[str], action: Action
) -> None:
    """The bulk subscriber (the generator): `record_bulk` under the kind's path."""
    kind = KINDS_BY_NAME[kind_name].path if kind_name in KINDS_BY_NAME else kind_name
    record_bulk(session, kind_path=kind, item_ids=ids)


def _purge_store(session: Session) -> None:
    """Before the commit of the outermost transaction (a savepoint's release is
    not a commit; the outer commit purges for it)."""
    if session.get_nested_transaction() is not None:
        return
    if session.info.get(STORE_CLEAR):
        rendered_document.clear(session)
    elif session.info.get(PENDING):
        rendered_document.purge(session, tags=session.info[PENDING])


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint released: nothing is visible to others until the real commit
    session.info.pop(STORE_CLEAR, None)
    tags = session.info.pop(PENDING, None)
    if tags:
        for cache in live_caches():
            cache.invalidate(tags)


def _after_rollback(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint rolled back: the outer transaction's changes still stand
    session.info.pop(PENDING, None)
    session.info.pop(STORE_CLEAR, None)


def connect(hook: ChangeHook, makers: Sequence["sessionmaker[Session]"]) -> Callable[[], None]:
    """Subscribe the tag recorders and hook the commit events of these sessions.

    `app.wiring` calls it for every database that content is written
    through (API, CLI, tests), so every write announces its changes.
    """
    disconnects = [
        hook.connect(changes=[record_change], bulk=[record_bulk_change], replaced=[record_bulk]),
        hook.listen(makers, name="before_commit", listener=_purge_store),
        hook.listen(makers, name="after_commit", listener=_after_commit),
        hook.listen(makers, name="after_rollback", listener=_after_rollback),
    ]

    def disconnect() -> None:
        for undo in disconnects:
            undo()

    return disconnect


class Watcher(ABC):
    """A background thread per worker that purges on other processes' changes."""

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @abstractmethod
    def _run(self) -> None:
        """The thread's loop; returns once `_stopping` is set."""


class PostgresListener(Watcher):
    def __init__(self, cache: ResponseCache, database_url: str) -> None:
        super().__init__(cache)
        self.conninfo = (
            make_url(database_url)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )
        self.listening = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()

    def start(self) -> None:
        super().start()
        # Serve only once LISTEN is in place, so no early change goes unheard.
        if not self.listening.wait(timeout=5):
            logger.warning("cache invalidation: not yet listening on PostgreSQL; retrying")

    def stop(self) -> None:
        self._stopping.set()
        self._wake_w.send(b"x")
        super().stop()
        self._wake_r.close()
        self._wake_w.close()

    def _run(self) -> None:
        import psycopg  # here, not at the top: a SQLite deployment never loads the driver

        backoff = 0.1
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.cache.clear()  # whatever was sent while we were not listening
                    self.listening.set()
                    backoff = 0.1
                    self._pump(conn)
            except psycopg.Error as exc:
                self.listening.clear()
                logger.warning("cache invalidation listener lost PostgreSQL: %s", exc)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 1.0)

    def _pump(self, conn: "psycopg.Connection[Any]") -> None:
        while not self._stopping.is_set():
            wake = self._wake_r.fileno()
            readable, _, _ = select.select([conn.fileno(), wake], [], [], 5.0)
            if wake in readable:
                return
            if not readable:
                conn.execute("SELECT 1")  # a silent network loss shows up here
            for notify in conn.notifies(timeout=0):
                self._apply(notify.payload)

    def _apply(self, payload: str) -> None:
        try:
            message = orjson.loads(payload)
            if message["token"] != PROCESS_TOKEN:
                self.cache.invalidate(message["tags"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            self.cache.clear()


class SqlitePoller(Watcher):
    """Clears the cache when another process changed content.

    `PRAGMA data_version` says that some other connection committed; the
    store's generation row (bumped by every content change, app.services.
    rendered_document) says whether it was content, rather than a stored
    document, an API key's last use or a webhook delivery.
    """

    def __init__(self, cache: ResponseCache, database_url: str, interval: float) -> None:
        super().__init__(cache)
        self.path = make_url(database_url).database or ""
        self.interval = interval
        self._conn: sqlite3.Connection | None = None
        self._version = 0
        self._generation: int | None = None

    def start(self) -> None:
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._version = self._read()
        self._generation = self._read_generation()
        super().start()

    def stop(self) -> None:
        super().stop()
        if self._conn is not None:
            self._conn.close()

    def _read(self) -> int:
        assert self._conn is not None
        row = self._conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _read_generation(self) -> int | None:
        assert self._conn is not None
        try:
            row = self._conn.execute(GENERATION_SQL).fetchone()
        except sqlite3.Error:
            return None  # not migrated yet: every change clears
        return None if row is None else int(row[0])

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                version = self._read()
                if version == self._version:
                    continue
                self._version = version
                generation = self._read_generation()
            except sqlite3.Error as exc:
                logger.warning("cache invalidation poll failed: %s", exc)
                continue
            if generation is None or generation != self._generation:
                self._generation = generation
                self.cache.clear()


def watcher_for(database_url: str, cache: ResponseCache, poll_seconds: float) -> Watcher | None:
    if database_url.startswith("postgresql"):
        return PostgresListener(cache, database_url)
    path = make_url(database_url).database
    if not path or path == ":memory:":
        return None
    return SqlitePoller(cache, database_url, poll_seconds)
