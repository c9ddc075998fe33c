"""Regenerate `app/api/openapi_examples.json` from the shipped seed data.

    python -m app.cli.examples

Migrates and seeds a throw-away SQLite database, calls each request the
registry entries name (`Kind.examples`), and stores each answer under the
key its route passes to `list_responses` / `detail_responses`. Timestamps are pinned so
the file only changes when the content or the shapes do.
"""

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from app import wiring
from app.api.openapi_responses import EXAMPLES_FILE
from app.cli.migrate import upgrade
from app.config import Settings
from app.content.kinds import KINDS
from app.db import Database, make_engine
from app.main import create_app
from app.services.transfer.seed import load_seed, read_seed_files
from models.base import Base

BASE_URL = "https://api.hospital.example"
PINNED_AT = datetime(2025, 1, 1, tzinfo=UTC)
MAX_LIST_ITEMS = 2


def requests() -> dict[str, str]:
    """Example key -> the request whose answer illustrates it, from every registry entry.

    A kind without examples, or two entries claiming one key, fails here, so no
    route's example is silently dropped from /openapi.json.
    """
    found: dict[str, str] = {}
    for kind in KINDS.values():
        if not kind.examples:
            raise ValueError(f"kind {kind.path!r} has no example requests")
        for key, path in kind.examples.items():
            if key in found:
                raise ValueError(f"example key {key!r} of kind {kind.path!r} is claimed twice")
            found[key] = path
    return found


def _pin_timestamps(database: Database) -> None:
    with database.transaction(write=True) as session:
        for table in Base.metadata.sorted_tables:
            if {"created_at", "updated_at"} <= set(table.c.keys()):
                session.execute(update(table).values(created_at=PINNED_AT, updated_at=PINNED_AT))


def _trim(body: dict[str, Any]) -> dict[str, Any]:
    if isinstance(body.get("data"), list):
        body["data"] = body["data"][:MAX_LIST_ITEMS]
    return body


def capture(database_url: str) -> dict[str, Any]:
    """Seed the database at `database_url` and answer every example request."""
    settings = Settings(
        database_url=database_url,
        environment="development",
        public_base_url=BASE_URL,
        _env_file=None,
    )
    upgrade(settings.database_url)
    database = Database(make_engine(settings))
    wiring.connect(database)
    try:
        with database.transaction(write=True) as session:
            load_seed(session, documents=read_seed_files())
        _pin_timestamps(database)
        examples: dict[str, Any] = {}
        with TestClient(create_app(settings, database), base_url=BASE_URL) as client:
            for key, path in requests().items():
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}: {response.text}")
                examples[key] = _trim(response.json())
        return examples
    finally:
        database.dispose()


def main(target: Path = EXAMPLES_FILE) -> None:
    with tempfile.TemporaryDirectory() as directory:
        examples = capture(f"sqlite:///{Path(directory) / 'examples.db'}")
    text = json.dumps(examples, indent=2, ensure_ascii=False) + "\n"
    target.write_text(text, encoding="utf-8")
    print(f"wrote {len(examples)} examples to {target}")


if __name__ == "__main__":
    main()
