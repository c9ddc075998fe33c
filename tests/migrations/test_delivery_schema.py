"""Migration 0003: engine-specific search objects, invisible to autogenerate."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from app.cli.migrate import downgrade, include_name, upgrade
from app.config import normalize_database_url
from models import Base
from tests.conftest import _postgres_test_database


@pytest.fixture
def fresh_engine(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    configured = normalize_database_url(os.environ.get("DATABASE_URL", ""))
    urls = (
        _postgres_test_database(configured)
        if configured.startswith("postgresql")
        else iter([f"sqlite:///{tmp_path / 'fresh.db'}"])
    )
    for url in urls:
        engine = create_engine(url)
        yield url, engine
        engine.dispose()


def differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        return list(compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata))


def test_search_objects_exist_only_on_their_engine_and_autogenerate_ignores_them(
    fresh_engine: tuple[str, Engine],
) -> None:
    url, engine = fresh_engine
    upgrade(url)

    tables = set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("search_document")}
    if engine.dialect.name == "sqlite":
        assert "search_fts" in tables
        assert "search_vector" not in columns
    else:
        assert "search_fts" not in tables
        assert "search_vector" in columns
    assert differences(engine) == []

    downgrade(url, "0001")
    inspect(engine).clear_cache()
    assert not {"search_fts", "search_document", "change_log", "translation"} & set(
        inspect(engine).get_table_names()
    )
    upgrade(url)
    assert differences(engine) == []
