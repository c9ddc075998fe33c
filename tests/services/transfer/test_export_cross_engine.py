"""Moving content between engines: SQLite -> PostgreSQL -> SQLite, byte for byte.

Runs whichever engine the suite itself targets, on fresh throw-away databases
for both sides, whenever PostgreSQL answers at DATABASE_URL (if that is
PostgreSQL) or at 127.0.0.1:5432; CI has it.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from app import wiring
from app.cli.migrate import upgrade
from app.config import Settings, normalize_database_url
from app.db import Database, make_engine
from tests.conftest import _postgres_test_database
from tests.support.transfer import build_rich_content, export_bytes, import_bytes

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_url() -> str | None:
    configured = normalize_database_url(os.environ.get("DATABASE_URL", ""))
    url = configured if configured.startswith("postgresql") else LOCAL_POSTGRES
    engine = create_engine(
        make_url(url).set(database="postgres"), connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError:
        return None
    finally:
        engine.dispose()
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432; CI runs this")
    yield from _postgres_test_database(url)


def _fresh(url: str) -> Database:
    upgrade(url)
    database = Database(make_engine(Settings(database_url=url, _env_file=None)))  # type: ignore[call-arg]
    wiring.connect(database)
    return database


def test_sqlite_to_postgresql_to_sqlite_is_byte_identical(
    tmp_path: Path, postgres_url: str
) -> None:
    source = _fresh(f"sqlite:///{tmp_path / 'source.db'}")
    middle = _fresh(postgres_url)
    target = _fresh(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        build_rich_content(source)
        original = export_bytes(source)

        into_postgres = import_bytes(middle, original)
        from_postgres = export_bytes(middle)
        back_in_sqlite = import_bytes(target, from_postgres)

        assert into_postgres.ok, into_postgres.rejected
        assert from_postgres == original
        assert back_in_sqlite.ok, back_in_sqlite.rejected
        assert export_bytes(target) == original
    finally:
        for database in (source, middle, target):
            database.dispose()
