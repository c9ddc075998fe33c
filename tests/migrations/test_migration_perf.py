"""Migration 0004 (the created_at index) goes down and up cleanly."""

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from app.cli.migrate import alembic_config, downgrade, upgrade


def _treatment_indexes(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {index["name"] or "" for index in inspect(engine).get_indexes("treatment")}
    finally:
        engine.dispose()


def test_created_at_index_downgrades_and_upgrades(migrated: str) -> None:
    previous = ScriptDirectory.from_config(alembic_config(migrated)).get_revision("0004")
    assert previous is not None and isinstance(previous.down_revision, str)
    assert "ix_treatment_created_at" in _treatment_indexes(migrated)

    downgrade(migrated, previous.down_revision)
    try:
        assert "ix_treatment_created_at" not in _treatment_indexes(migrated)
    finally:
        upgrade(migrated)

    assert "ix_treatment_created_at" in _treatment_indexes(migrated)
