"""Migrations: the schema they build is the ORM's, both ways, and keeps data.

Each test gets its own fresh database (a SQLite file, or a throw-away
PostgreSQL database when DATABASE_URL points at PostgreSQL), so downgrades
never touch the session-wide database the other tests share.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, select

from app import wiring
from app.cli.migrate import alembic_config, downgrade, include_name, upgrade
from app.config import Settings, normalize_database_url
from app.db import Database, make_engine
from app.services.transfer.seed import load_seed, read_seed_files
from models import Base
from tests.conftest import _postgres_test_database

APP_TABLES = {table.name for table in Base.metadata.sorted_tables}


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    configured = normalize_database_url(os.environ.get("DATABASE_URL", ""))
    if configured.startswith("postgresql"):
        yield from _postgres_test_database(configured)
    else:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def engine(fresh_url: str) -> Iterator[Engine]:
    engine = create_engine(fresh_url)
    yield engine
    engine.dispose()


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, Base.metadata))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every app table, in primary-key order."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in conn.execute(query)]
    return rows


def test_upgrade_head_builds_exactly_the_orm_schema(fresh_url: str, engine: Engine) -> None:
    upgrade(fresh_url)

    assert current_revision(engine) == head_revision(fresh_url)
    assert set(inspect(engine).get_table_names()) >= APP_TABLES
    assert schema_differences(engine) == []


def test_downgrade_to_base_removes_every_table_and_upgrade_works_again(
    fresh_url: str, engine: Engine
) -> None:
    upgrade(fresh_url)

    downgrade(fresh_url, "base")

    inspect(engine).clear_cache()
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set()
    assert current_revision(engine) is None

    upgrade(fresh_url)

    assert current_revision(engine) == head_revision(fresh_url)
    assert schema_differences(engine) == []


def test_upgrading_a_seeded_database_again_is_a_no_op_that_keeps_every_row(
    fresh_url: str, engine: Engine
) -> None:
    upgrade(fresh_url)
    database = Database(make_engine(Settings(database_url=fresh_url, _env_file=None)))
    wiring.connect(database)
    try:
        with database.transaction(write=True) as session:
            load_seed(session, documents=read_seed_files())
    finally:
        database.dispose()
    before = snapshot(engine)
    assert sum(len(rows) for rows in before.values()) > 0

    upgrade(fresh_url)

    after = snapshot(engine)
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()
    }
    assert after == before
    assert current_revision(engine) == head_revision(fresh_url)


def _without_conditions(
    rows: dict[str, list[tuple[Any, ...]]], tables: set[str]
) -> dict[str, list[Any]]:
    """Rows of `tables` less what 0009 rebuilds on the way up (tested in
    test_conditions_migration.py): conditions' translations and revisions, and
    the feed and index rows, which come back with new serial ids."""
    kept: dict[str, list[Any]] = {}
    for name in sorted(tables & set(rows)):
        if name in {"change_log", "search_document"}:
            continue
        columns = Base.metadata.tables[name].c.keys()
        kind = columns.index("kind") if name in ("translation", "revision") else None
        kept[name] = [r for r in rows[name] if kind is None or r[kind] != "condition"]
    return kept


def test_the_document_store_migration_steps_down_and_up_keeping_content(
    fresh_url: str, engine: Engine
) -> None:
    upgrade(fresh_url)
    database = Database(make_engine(Settings(database_url=fresh_url, _env_file=None)))
    wiring.connect(database)
    try:
        with database.transaction(write=True) as session:
            load_seed(session, documents=read_seed_files())
    finally:
        database.dispose()
    content = {k: v for k, v in snapshot(engine).items() if not k.startswith("rendered_")}

    downgrade(fresh_url, "0005")

    inspect(engine).clear_cache()
    assert not {"rendered_document", "rendered_document_tag", "rendered_generation"} & set(
        inspect(engine).get_table_names()
    )
    # Tables of later migrations (a kind added since) are dropped and re-created
    # empty by the step down and up; the content this migration must keep is in
    # the tables that exist at 0005.
    kept = set(inspect(engine).get_table_names())
    upgrade(fresh_url)
    after = snapshot(engine)
    assert _without_conditions(after, kept) == _without_conditions(content, kept)
    assert after["rendered_generation"] == [(1, 0)]
    assert after["rendered_document"] == after["rendered_document_tag"] == []
