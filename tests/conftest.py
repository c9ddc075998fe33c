"""Test fixtures: one migrated database and one running app per run; the
tables are emptied after every test and the app's memory reset before it.

The engine under test comes from DATABASE_URL (SQLite by default), so the
same suite runs against SQLite and PostgreSQL (`.ci/run` does both). For
PostgreSQL a throw-away database is created per run, so parallel runs and a
developer's own data are never touched.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from app import wiring
from app.cli.migrate import upgrade
from app.config import Settings, normalize_database_url
from app.db import Database, make_engine
from app.main import create_app
from app.services import api_key as api_key_service
from app.services.transfer.seed import load_seed, read_seed_files
from models import Base, Role
from tests.support import apps


def _postgres_test_database(url: str) -> Iterator[str]:
    admin_url = make_url(url).set(database="postgres")
    name = f"tca_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = normalize_database_url(os.environ.get("DATABASE_URL", ""))
    if configured.startswith("postgresql"):
        yield from _postgres_test_database(configured)
    else:
        path: Path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        public_base_url="https://content.hospital.example",
        # The scheduled-publish promoter would add its own statements to the
        # counting tests; tests that need it build an app with a short interval.
        schedule_check_seconds=3600,
        # Likewise the webhook worker's polls; webhook tests start their own worker.
        webhook_worker_enabled=False,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def migrated(settings: Settings) -> str:
    upgrade(settings.database_url)
    return settings.database_url


@pytest.fixture(scope="session")
def database(settings: Settings, migrated: str) -> Iterator[Database]:
    db = Database(make_engine(settings))
    disconnect = wiring.connect(db)
    yield db
    disconnect()
    db.dispose()


def empty_tables(db: Database) -> None:
    """Delete every row of every table (a wipe that keeps the migrated schema)."""
    tables = [table.name for table in Base.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        # DELETE with FK triggers off is far cheaper than TRUNCATE for tiny tables.
        with db.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        for name in tables:
            cursor.execute(f"DELETE FROM {name}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
    finally:
        raw.close()


@pytest.fixture(autouse=True)
def _empty_tables_after_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts from empty tables, whatever the previous one committed."""
    yield
    if "database" not in request.fixturenames:
        return
    empty_tables(request.getfixturevalue("database"))


@pytest.fixture(scope="session")
def _shared(settings: Settings, database: Database) -> Iterator[apps.Shared]:
    """The one running app of the run (tests/support/apps.py says why).

    Its SQLite poller never wakes: tests write through this process's engine,
    whose subscribers purge the cache at once, and a poll would clear it again
    at a random moment between a test's setup and its hit counts.
    """
    shared = settings.model_copy(update={"cache_poll_seconds": 3600})
    running = create_app(shared, database)
    apps.start_once(running)
    with TestClient(running) as test_client:
        yield apps.Shared(test_client)


@pytest.fixture
def app(_shared: apps.Shared) -> FastAPI:
    """The shared app, with what earlier tests left on it forgotten."""
    _shared.reset()
    return _shared.app


@pytest.fixture
def client(_shared: apps.Shared, app: FastAPI) -> TestClient:
    """A client of the shared app, as fresh as `app` is."""
    return _shared.client


@pytest.fixture
def settings_app(settings: Settings, database: Database) -> apps.SettingsApp:
    """Only for tests of a setting, or of building an app: an app of its own.

    `settings_app(response_cache=False)` is the test settings with that change;
    `database=` serves another Database (a tiny pool, a strict reader).
    """

    def build(*, database: Database | None = None, **changes: object) -> FastAPI:
        return create_app(settings.model_copy(update=changes), database or default)

    default = database
    return build


@pytest.fixture
def seeded(database: Database) -> Database:
    """The shipped seed content, loaded exactly as `treatments seed` does."""
    with database.transaction(write=True) as session:
        load_seed(session, documents=read_seed_files())
    return database


@pytest.fixture
def keys(database: Database) -> dict[str, str]:
    """One active API key per role, plus a revoked one: {"editor": "tca_...", ...}."""
    secrets: dict[str, str] = {}
    with database.transaction(write=True) as session:
        for role in Role:
            _key, secrets[role.value] = api_key_service.create_key(
                session, name=f"{role.value} (sample)", role=role
            )
        revoked, secrets["revoked"] = api_key_service.create_key(
            session, name="revoked (sample)", role=Role.admin
        )
        api_key_service.revoke_key(session, key_id=revoked.id)
    return secrets
