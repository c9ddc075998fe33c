"""Engines and sessions.

One concurrency model: sync endpoints with a sync session (see README,
"Architecture"). One transaction per request, owned by the session
dependency: services may flush, never commit.

SQLite runs in WAL mode with a busy timeout, and write transactions start
with `BEGIN IMMEDIATE` so two writers queue on the lock instead of failing
with "database is locked" when one upgrades a read lock.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from app.config import Settings
from models.base import EditorialMixin, Status, utcnow
from models.faq import Faq
from models.treatment import Treatment

WRITE_OPTION = "treatments_write"


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, cache_kib: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        engine = create_engine(
            settings.database_url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_ms / 1000,
                # Prepared statements kept per connection (the module's default is
                # 128). Each IN list length is its own statement, so the default
                # filled up and held megabytes per worker (figures: bench/README.md).
                "cached_statements": 32,
            },
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout,
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms, settings.sqlite_cache_kib)
        return engine
    return create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        connect_args={"connect_timeout": settings.db_connect_timeout},
    )


def publicly_visible(item: EditorialMixin) -> bool:
    """The same rule as `_visible_to_public`, for an item already in hand.

    The review grace policy is not applied here: it depends on settings, and
    the sync feed and search index re-check items through a public session.
    """
    now = utcnow()
    return (
        item.status == Status.published
        and item.deleted_at is None
        and (item.publish_at is None or item.publish_at <= now or item.draft is not None)
        and (item.unpublish_at is None or item.unpublish_at > now)
    )


def _visible_to_public(review_grace_days: int | None) -> Callable[[ORMExecuteState], None]:
    """Hide every draft, scheduled, expired, archived or deleted row from a public session.

    Applied to every SELECT the session runs, including relationship loads,
    so no endpoint can leak an unpublished row by forgetting a filter. The
    time conditions make a schedule exact even before the promoter has run
    (app.services.schedule); a live item with a pending draft stays visible.
    """

    def _filter(state: ORMExecuteState) -> None:
        if not state.is_select or state.is_column_load or state.is_relationship_load:
            return
        now = utcnow()
        options = [
            with_loader_criteria(
                EditorialMixin,
                lambda cls: (
                    (cls.status == Status.published)
                    & cls.deleted_at.is_(None)
                    & (cls.publish_at.is_(None) | (cls.publish_at <= now) | cls.draft.is_not(None))
                    & (cls.unpublish_at.is_(None) | (cls.unpublish_at > now))
                ),
                include_aliases=True,
            )
        ]
        if review_grace_days is not None:
            cutoff = now.date() - timedelta(days=review_grace_days)
            for model in (Treatment, Faq):
                options.append(
                    with_loader_criteria(
                        model,
                        lambda cls: cls.next_review_due.is_(None) | (cls.next_review_due >= cutoff),
                        include_aliases=True,
                    )
                )
        state.statement = state.statement.options(*options)

    return _filter


def _not_deleted(state: ORMExecuteState) -> None:
    """Previews see drafts and scheduled items, never soft-deleted ones."""
    if state.is_select and not state.is_column_load and not state.is_relationship_load:
        state.statement = state.statement.options(
            with_loader_criteria(
                EditorialMixin, lambda cls: cls.deleted_at.is_(None), include_aliases=True
            )
        )


class Database:
    """The engine plus the session factories: read, public, write and preview."""

    def __init__(self, engine: Engine, *, review_grace_days: int | None = None) -> None:
        self.engine = engine
        self.read_sessions = sessionmaker(engine, expire_on_commit=False)
        self.public_sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self.public_sessions, "do_orm_execute", _visible_to_public(review_grace_days))
        write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self.write_sessions = sessionmaker(write_engine, expire_on_commit=False)
        # A preview flushes the draft before rolling back, so it is a writer too.
        self.preview_sessions = sessionmaker(write_engine, expire_on_commit=False)
        event.listen(self.preview_sessions, "do_orm_execute", _not_deleted)

    def session_factories(self) -> list["sessionmaker[Session]"]:
        """Every factory sessions come from, for `app.wiring` to connect."""
        return [
            self.read_sessions,
            self.public_sessions,
            self.write_sessions,
            self.preview_sessions,
        ]

    @contextmanager
    def transaction(self, *, write: bool = False, public: bool = False) -> Iterator[Session]:
        """Commit on success, roll back on any error: all or nothing."""
        if public:
            factory = self.public_sessions
        else:
            factory = self.write_sessions if write else self.read_sessions
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def preview(self) -> Iterator[Session]:
        """A session whose changes are always rolled back: drafts applied for a look."""
        with self.preview_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
