"""Regenerate `app/api/openapi_examples.json` from the shipped seed data.

    python -m app.cli.examples

Migrates and seeds a throw-away SQLite database, calls every public GET
route through the app, and stores each answer under the key its route
passes to `list_responses` / `detail_responses`. Timestamps are pinned so
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
from app.db import Database, make_engine
from app.main import create_app
from app.services.transfer.seed import load_seed, read_seed_files
from models.base import Base

BASE_URL = "https://api.hospital.example"
PINNED_AT = datetime(2025, 1, 1, tzinfo=UTC)
MAX_LIST_ITEMS = 2

# Example key -> the request whose answer illustrates it.
REQUESTS: dict[str, str] = {
    "treatments": "/v1/treatments",
    "treatment": "/v1/treatments/immunotherapy",
    "treatment_faqs": "/v1/treatments/immunotherapy/faqs",
    "treatment_types": "/v1/treatment-types?parent=immunotherapy",
    "treatment_type": "/v1/treatment-types/immunotherapy",
    "administration_routes": "/v1/administration-routes",
    "administration_route": "/v1/administration-routes/intracavitary",
    "faqs": "/v1/faqs?treatment=immunotherapy",
    "faq": "/v1/faqs/how-long-will-i-get-immunotherapy",
    "doctors": "/v1/doctors",
    "doctor": "/v1/doctors/ragesh-nair",
    "clinics": "/v1/clinics",
    "clinic": "/v1/clinics/myeloma-clinic",
    "media_list": "/v1/media?kind=video",
    "media": "/v1/media/launch-of-the-myeloma-clinic",
    "organization": "/v1/organization",
}


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
            for key, path in REQUESTS.items():
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
