"""Nothing connects itself on import; `create_app` connects and its lifespan disconnects."""

import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.services.change_hook import hook_for
from models import ChangeLog
from tests.support.factories import make

ROOT = Path(__file__).resolve().parents[1]

# Imports every module of the three packages, then lists what SQLAlchemy's
# global event registry and the thread list hold.
IMPORT_EVERYTHING = """
import importlib, pkgutil, sys, threading
import app, models, routers
for package in (app, models, routers):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name.startswith("app.cli") and info.name != "app.cli":
            continue  # console entry points: importing them is running the CLI's setup
        importlib.import_module(info.name)
from sqlalchemy.event import registry
ours = []
for collection in registry._key_to_collection.values():
    for ref in collection.values():
        fn = ref()
        module = getattr(fn, "__module__", "") or ""
        if module.split(".")[0] in {"app", "models", "routers"}:
            ours.append(f"{module}.{getattr(fn, '__qualname__', fn)}")
print("listeners:", sorted(ours))
print("threads:", threading.active_count())
print("http:", "app.http" in sys.modules)
"""


def test_importing_every_module_registers_no_listener_and_starts_no_thread() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "listeners: []" in result.stdout, result.stdout
    assert "threads: 1" in result.stdout, result.stdout


def test_importing_the_services_does_not_import_the_http_layer() -> None:
    code = "import app.services, sys; assert 'app.http' not in sys.modules, sorted(sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _subscriber_names(database: Database) -> list[str]:
    hook = hook_for(database.session_factories())
    return [f"{s.__module__}.{s.__name__}" for s in hook.subscribers]  # type: ignore[attr-defined]


def _logged(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(ChangeLog)) or 0


def test_two_apps_over_one_database_subscribe_once_and_unwire_their_own(
    settings: Settings, database: Database
) -> None:
    before = _subscriber_names(database)
    assert len(before) == len(set(before)) == 5
    first, second = create_app(settings, database), create_app(settings, database)
    with TestClient(first), TestClient(second) as client:
        assert _subscriber_names(database) == before
        make(database, "treatment-types", slug="sample-type", name="Sample type (synthetic)")
        assert _logged(database) == 1  # the change log subscriber ran once, not once per app
        assert client.get("/v1/treatment-types/sample-type").status_code == 200
    # Both lifespans ended; the test fixture's own connection keeps the database wired.
    assert _subscriber_names(database) == before
    make(database, "treatment-types", slug="sample-type-2", name="Sample type 2 (synthetic)")
    assert _logged(database) == 2


def test_a_write_through_an_unwired_database_fails_loudly(settings: Settings) -> None:
    from app.db import make_engine

    unwired = Database(make_engine(settings))
    try:
        try:
            make(unwired, "treatment-types", slug="never", name="Never (synthetic)")
        except RuntimeError as exc:
            assert "change hook" in str(exc)
        else:
            raise AssertionError("an unwired write went through without its subscribers")
        assert _logged(unwired) == 0
    finally:
        unwired.dispose()
