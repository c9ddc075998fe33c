"""Engines and sessions.

One concurrency model: sync endpoints with a sync session (see README,
"Architecture"). One transaction per request, owned by the session
dependency: services may flush, never commit.

SQLite runs in WAL mode with a busy timeout, and write transactions start
with `BEGIN IMMEDIATE` so two writers queue on the lock instead of failing
with "database is locked" when one upgrades a read lock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from app.config import Settings
from models.base import EditorialMixin, Status

WRITE_OPTION = "treatments_write"


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
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
            },
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout,
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
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
    """The same rule as `_only_published`, for an item already in hand."""
    return item.status == Status.published and item.deleted_at is None


def _only_published(state: ORMExecuteState) -> None:
    """Hide every draft, archived or deleted row from a public session.

    Applied to every SELECT the session runs, including relationship loads,
    so no endpoint can leak an unpublished row by forgetting a filter.
    """
    if state.is_select and not state.is_column_load and not state.is_relationship_load:
        state.statement = state.statement.options(
            with_loader_criteria(
                EditorialMixin,
                lambda cls: (cls.status == Status.published) & cls.deleted_at.is_(None),
                include_aliases=True,
            )
        )


class Database:
    """The engine plus the two session factories a request may need."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read_sessions = sessionmaker(engine, expire_on_commit=False)
        self.public_sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self.public_sessions, "do_orm_execute", _only_published)
        self.write_sessions = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

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

    def dispose(self) -> None:
        self.engine.dispose()
