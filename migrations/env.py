"""Alembic environment: the URL comes from the app's settings, never alembic.ini.

The FTS5 table and the tsvector column that search needs are hidden from
autogenerate by `app.cli.migrate.include_name` (they are not ORM models).

A connection passed in `config.attributes["connection"]` (tests, the CLI)
is used as is, so migrations can run inside an existing engine.
"""

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from app.cli.migrate import include_name
from app.config import get_settings
from models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("database_url") or get_settings().database_url
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
