"""Running Alembic from code (the CLI, tests), against the app's settings."""

from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Search-engine objects that migration 0003 creates by hand and the ORM does
# not model: the SQLite FTS5 table (and the shadow tables SQLite makes for it)
# and PostgreSQL's generated tsvector column with its GIN index. Autogenerate
# must not see them, or every comparison would propose dropping them.
SEARCH_FTS_PREFIX = "search_fts"
SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_VECTOR_INDEX = "ix_search_document_search_vector"


def include_name(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic `include_name` hook: hide the hand-made search objects (see above).

    Used by migrations/env.py and by any test that calls `compare_metadata`
    (pass it as `opts={"include_name": include_name}`).
    """
    if type_ == "table" and name is not None and name.startswith(SEARCH_FTS_PREFIX):
        return False
    if type_ == "column" and parent_names.get("table_name") == "search_document":
        return name != SEARCH_VECTOR_COLUMN
    return not (type_ == "index" and name == SEARCH_VECTOR_INDEX)


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
