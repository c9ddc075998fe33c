"""Importing an export of version 2, when conditions were part of a treatment."""

from typing import Any

import orjson
from fastapi.testclient import TestClient

from app.content.input_documents import document
from app.content.kinds import KINDS
from app.db import Database
from app.services.editorial import review
from app.services.editorial.writes import find
from tests.conftest import empty_tables
from tests.support.editorial import REVIEWER
from tests.support.factories import make, translate
from tests.support.transfer import export_bytes, import_bytes

OLD = [{"slug": "sample-cancer", "name": "Sample cancer"}]


def _as_version_2(database: Database, data: bytes) -> bytes:
    """Today's file rewritten as version 2 wrote it: conditions inside the treatment,
    with the review hash the old app computed over them."""
    kind = KINDS["treatments"]
    with database.transaction() as session:
        item = find(session, kind=kind, slug="cure-x")
        values = review.canonical(session, kind=kind, doc=document(session, kind, item))
        old_hash = review.digest({**values, "conditions": OLD})
    lines: list[Any] = [orjson.loads(line) for line in data.splitlines()]
    manifest, records = lines[0], [r for r in lines[1:] if r["kind"] != "condition"]
    manifest["version"] = 2
    manifest["kinds"].remove("condition")
    manifest["counts"].pop("condition")
    for record in records:
        if record["kind"] != "treatment":
            continue
        record["document"]["conditions"] = OLD
        record["state"]["review_hash"] = old_hash
        record["translations"]["hi"]["data"]["conditions"] = [{"name": "नमूना कैंसर"}]
        for revision in record["revisions"]:
            revision["snapshot"]["conditions"] = OLD
    return b"".join(orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n" for line in
                    [manifest, *records])  # fmt: skip


def test_a_version_2_file_imports_its_conditions_as_items(
    client: TestClient, database: Database
) -> None:
    make(database, "treatments", slug="cure-x", title="Cure X (sample)")
    make(database, "conditions", slug="sample-cancer", name="Sample cancer",
         treatments=["cure-x"])  # fmt: skip
    translate(database, "treatments", "cure-x", "hi", title="इलाज (sample)")
    kind = KINDS["treatments"]
    with database.transaction(write=True) as session:
        item = find(session, kind=kind, slug="cure-x")
        review.record(
            session, kind=kind, item=item, reviewed_by=REVIEWER,
            last_reviewed=item.created_at.date(),
        )  # fmt: skip
        item.reviewed_by = REVIEWER
    old = _as_version_2(database, export_bytes(database))
    empty_tables(database)

    report = import_bytes(database, old)

    assert report.ok, report.rejected
    assert report.imported["condition"] == 1
    condition = client.get("/v1/conditions/sample-cancer").json()["data"]
    assert [t["slug"] for t in condition["treatments"]] == ["cure-x"]
    hindi = client.get("/v1/treatments/cure-x", params={"locale": "hi"}).json()["data"]
    assert [c["name"] for c in hindi["conditions"]] == ["नमूना कैंसर"]
    with database.transaction() as session:
        item = find(session, kind=kind, slug="cure-x")
        assert item.review_hash == review.columns_hash(session, kind=kind, item=item)
    # Exported again, it is a version 3 file with the condition as an item.
    again = export_bytes(database)
    assert orjson.loads(again.splitlines()[0])["version"] == 3
    assert b'"conditions"' not in next(
        line for line in again.splitlines() if b'"kind":"treatment"' in line
    )
