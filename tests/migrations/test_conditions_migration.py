"""Migration 0009: treatment condition rows become conditions, and nothing is lost.

The old rows are written as they were at 0007 (before the review hash), so
0008 computes the hashes the old app would have recorded and 0009 has to
carry them over; what comes out is read through the app's HTTP API.
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app import wiring
from app.cli.migrate import downgrade, upgrade
from app.config import Settings
from app.content.kinds import KINDS
from app.db import Database, make_engine
from app.services.editorial import review
from app.services.editorial.writes import load
from tests.migrations.test_migrations import engine, fresh_url  # noqa: F401  (fixtures)
from tests.support.apps import SettingsApp

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
JSON = sa.JSON()


def _insert(conn: sa.Connection, name: str, rows: list[dict[str, Any]]) -> None:
    columns = sorted({key for row in rows for key in row})
    json = {"sections", "duration_factors", "comparisons", "sources", "draft", "data",
            "snapshot", "diff"}  # fmt: skip
    table = sa.table(name, *(sa.column(c, JSON if c in json else None) for c in columns))
    conn.execute(sa.insert(table), [{c: row.get(c) for c in columns} for row in rows])


def _treatment(item_id: str, slug: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "slug": slug, "locale": "en", "status": status, "version": 1,
            "created_at": NOW, "updated_at": NOW, "title": f"Sample {slug} (sample)",
            "summary": "Sample.", "sections": [], "duration_factors": [], "comparisons": [],
            "sources": [], **extra}  # fmt: skip


def _old_rows(conn: sa.Connection) -> None:
    draft = {
        "slug": "sample-a", "title": "Sample sample-a (sample)", "summary": "Changed.",
        "conditions": [{"slug": "sample-draft-only", "name": "Sample draft-only"}],
    }  # fmt: skip
    _insert(conn, "treatment", [
        _treatment("t-a", "sample-a", "published", reviewed_by="Dr. Sample (sample)",
                   draft=draft),
        _treatment("t-b", "sample-b", "published"),
        _treatment("t-c", "sample-c", "draft"),
    ])  # fmt: skip
    _insert(conn, "treatment_condition", [
        {"treatment_id": "t-a", "slug": "sample-cancer", "name": "Sample cancer", "position": 0},
        {"treatment_id": "t-a", "slug": "sample-myeloma", "name": "Sample myeloma", "position": 1},
        {"treatment_id": "t-b", "slug": "sample-myeloma", "name": "Sample myeloma", "position": 0},
        {"treatment_id": "t-c", "slug": "sample-myeloma", "name": "Odd name", "position": 0},
        {"treatment_id": "t-c", "slug": "sample-hidden", "name": "Sample hidden", "position": 1},
    ])  # fmt: skip
    _insert(conn, "translation", [
        {"kind": "treatment", "item_id": "t-a", "locale": "hi", "version": 1,
         "created_at": NOW, "updated_at": NOW,
         "data": {"title": "नमूना (sample)", "conditions": [{"name": "नमूना कैंसर"}, {}]}},
    ])  # fmt: skip
    _insert(conn, "revision", [
        {"id": "r-a", "kind": "treatment", "item_id": "t-a", "number": 1, "action": "created",
         "status": "draft", "version": 1, "actor": "seed", "created_at": NOW, "diff": {},
         "snapshot": {"slug": "sample-a", "title": "Sample sample-a (sample)",
                      "conditions": [{"slug": "sample-cancer", "name": "Sample cancer"}]}},
    ])  # fmt: skip


@pytest.fixture
def old_database(fresh_url: str, engine: Engine) -> Iterator[Database]:  # noqa: F811
    upgrade(fresh_url, "0007")
    with engine.begin() as conn:
        _old_rows(conn)
    upgrade(fresh_url, "0008")
    with engine.connect() as conn:
        hashes = conn.execute(sa.text("SELECT review_hash FROM treatment WHERE id = 't-a'"))
        assert hashes.scalar() is not None  # 0008 recorded the old-form hash
    upgrade(fresh_url)
    settings = Settings(database_url=fresh_url, _env_file=None)
    database = Database(make_engine(settings))
    wiring.connect(database)
    yield database
    database.dispose()


@pytest.fixture
def old_client(
    fresh_url: str,  # noqa: F811
    old_database: Database,
    settings_app: SettingsApp,
) -> Iterator[TestClient]:
    app = settings_app(database=old_database, database_url=fresh_url)
    with TestClient(app) as client:
        yield client


def test_each_slug_becomes_one_condition_linked_to_every_treatment_that_named_it(
    old_client: TestClient,
) -> None:
    listed = old_client.get("/v1/conditions").json()["data"]
    # Published: named by a live treatment. Draft: only by a draft treatment or a draft.
    assert [c["slug"] for c in listed] == ["sample-cancer", "sample-myeloma"]
    myeloma = old_client.get("/v1/conditions/sample-myeloma").json()["data"]
    assert myeloma["name"] == "Sample myeloma"  # the commonest name wins over "Odd name"
    assert [t["slug"] for t in myeloma["treatments"]] == ["sample-a", "sample-b"]
    assert old_client.get("/v1/conditions/sample-hidden").status_code == 404

    treatment = old_client.get("/v1/treatments/sample-a").json()["data"]
    assert [(c["slug"], c["name"]) for c in treatment["conditions"]] == [
        ("sample-cancer", "Sample cancer"), ("sample-myeloma", "Sample myeloma"),
    ]  # fmt: skip
    filtered = old_client.get("/v1/treatments?condition=sample-myeloma").json()["data"]
    assert [t["slug"] for t in filtered] == ["sample-a", "sample-b"]


def test_translated_names_move_to_the_condition_and_the_review_still_holds(
    old_client: TestClient, old_database: Database
) -> None:
    hindi = old_client.get("/v1/treatments/sample-a?locale=hi").json()["data"]
    assert hindi["title"] == "नमूना (sample)"
    assert [c["name"] for c in hindi["conditions"]] == ["नमूना कैंसर", "Sample myeloma"]

    kind = KINDS["treatments"]
    with old_database.transaction() as session:
        item = load(session, kind=kind, item_id="t-a")
        # The live columns keep their review; the draft (never reviewed) drops `conditions`.
        assert item.review_hash == review.columns_hash(session, kind=kind, item=item)
        assert item.draft is not None and "conditions" not in item.draft
        snapshot = session.execute(sa.text("SELECT snapshot FROM revision")).scalar()
        assert "conditions" not in _json(snapshot)
        drafts = session.execute(
            sa.text("SELECT slug, status FROM condition WHERE slug = 'sample-draft-only'")
        ).all()
    assert [tuple(row) for row in drafts] == [("sample-draft-only", "draft")]


def test_published_conditions_enter_the_sync_feed_and_search(old_client: TestClient) -> None:
    feed = old_client.get("/v1/sync").json()["data"]["upserted"]
    assert {(i["kind"], i["slug"]) for i in feed if i["kind"] == "condition"} == {
        ("condition", "sample-cancer"), ("condition", "sample-myeloma"),
    }  # fmt: skip
    hits = old_client.get("/v1/search?q=myeloma").json()["data"]
    assert ("condition", "sample-myeloma") in {(h["kind"], h["slug"]) for h in hits}


def test_downgrade_puts_the_rows_back_and_upgrade_again_keeps_the_review(
    fresh_url: str,  # noqa: F811
    engine: Engine,  # noqa: F811
    old_database: Database,
) -> None:
    downgrade(fresh_url, "0008")

    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT treatment_id, slug, name FROM treatment_condition "
            "ORDER BY treatment_id, position"
        )).all()  # fmt: skip
        data = conn.execute(sa.text("SELECT data FROM translation WHERE kind = 'treatment'"))
        hindi = data.scalar()
    assert [tuple(r) for r in rows] == [
        ("t-a", "sample-cancer", "Sample cancer"), ("t-a", "sample-myeloma", "Sample myeloma"),
        ("t-b", "sample-myeloma", "Sample myeloma"), ("t-c", "sample-hidden", "Sample hidden"),
        ("t-c", "sample-myeloma", "Sample myeloma"),
    ]  # fmt: skip
    assert _json(hindi)["conditions"] == [
        {"name": "नमूना कैंसर"}, {},
    ]  # fmt: skip

    upgrade(fresh_url)

    kind = KINDS["treatments"]
    with old_database.transaction() as session:
        item = load(session, kind=kind, item_id="t-a")
        assert item.review_hash == review.columns_hash(session, kind=kind, item=item)


def _json(value: Any) -> Any:
    """A JSON column read through raw SQL: text on SQLite, decoded on PostgreSQL."""
    return value if isinstance(value, dict) else json.loads(value)
