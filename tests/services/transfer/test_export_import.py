"""Bulk export and import: byte-identical round trips, per-record rejection,
upsert into a live database, and the admin download."""

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.db import Database
from app.services.transfer.import_records import ImportMode
from models import ChangeLog, Faq, Revision, SearchDocument, Translation
from tests.conftest import empty_tables
from tests.support.editorial import auth
from tests.support.transfer import (
    DRAFT_ANSWER,
    HI_DRAFT_QUESTION,
    HI_QUESTION,
    build_rich_content,
    export_bytes,
    import_bytes,
)

HOW_LONG = "how-long-will-i-get-immunotherapy"


@pytest.fixture
def rich(database: Database) -> Database:
    build_rich_content(database)
    return database


def _records(data: bytes) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in data.splitlines()]


def _faq(records: list[dict[str, object]], slug: str) -> dict[str, object]:
    return next(r for r in records if r.get("kind") == "faq" and r.get("slug") == slug)


def test_export_wipe_import_export_is_byte_identical(rich: Database, client: TestClient) -> None:
    first = export_bytes(rich)
    empty_tables(rich)

    report = import_bytes(rich, first, batch_size=7)  # batches split kinds and items
    second = export_bytes(rich)

    assert report.ok, report.rejected
    assert second == first
    records = _records(first)
    assert _faq(records, HOW_LONG)["translations"]["hi"]["data"] == {"question": HI_QUESTION}  # type: ignore[index]
    assert _faq(records, "what-should-i-expect-after-immunotherapy")["draft"]["answer"] == (  # type: ignore[index]
        DRAFT_ANSWER
    )
    assert _faq(records, "sample-deleted-faq")["deleted_at"] is not None
    pending = _faq(records, "what-should-i-expect-after-immunotherapy")["translations"]["hi"]  # type: ignore[index]
    assert pending["draft"] == {"question": HI_DRAFT_QUESTION}
    # The derived data is rebuilt: search, the sync feed and the public reads see it.
    found = client.get("/v1/search", params={"q": "how long immunotherapy"}).json()["data"]
    assert HOW_LONG in [hit["slug"] for hit in found]
    feed = client.get("/v1/sync").json()["data"]["upserted"]
    assert HOW_LONG in [entry["slug"] for entry in feed]
    assert "sample-deleted-faq" not in [entry["slug"] for entry in feed]
    hindi = client.get(f"/v1/faqs/{HOW_LONG}", params={"locale": "hi"}).json()["data"]
    assert hindi["question"] == HI_QUESTION


def test_the_file_is_sorted_json_lines_with_a_manifest_and_no_secrets(
    rich: Database, keys: dict[str, str]
) -> None:
    data = export_bytes(rich)
    lines = data.splitlines()
    manifest = orjson.loads(lines[0])

    assert data.endswith(b"\n")
    assert (manifest["type"], manifest["format"], manifest["version"]) == (
        "manifest",
        "treatment-content-export",
        3,
    )
    assert sum(manifest["counts"].values()) == len(lines) - 1
    assert manifest["counts"]["faq"] == 4
    for line in lines:
        assert line == orjson.dumps(orjson.loads(line), option=orjson.OPT_SORT_KEYS)
    assert "api_key" in manifest["excluded"]
    for secret in keys.values():
        assert secret[:12].encode() not in data
    revisions = _faq(_records(data), HOW_LONG)["revisions"]
    assert [r["action"] for r in revisions] == ["created", "published", "updated"]  # type: ignore[index,union-attr]


def test_one_bad_record_is_reported_by_line_and_leaves_no_trace(seeded: Database) -> None:
    lines = export_bytes(seeded).splitlines()
    bad_faq = orjson.loads(lines[16])
    assert bad_faq["kind"] == "faq"
    del bad_faq["document"]["question"]
    lines[16] = orjson.dumps(bad_faq, option=orjson.OPT_SORT_KEYS)
    empty_tables(seeded)

    report = import_bytes(seeded, b"\n".join(lines) + b"\n")

    assert [(r.line, r.label) for r in report.rejected] == [(17, f"faq/{bad_faq['slug']}")]
    assert "question" in report.rejected[0].reason
    assert report.missing == 0  # a rejected line still counts as present
    assert sum(report.imported.values()) == len(lines) - 2
    with seeded.transaction() as session:
        for model, column in (
            (Faq, Faq.id), (Revision, Revision.item_id), (Translation, Translation.item_id),
            (SearchDocument, SearchDocument.item_id), (ChangeLog, ChangeLog.item_id),
        ):  # fmt: skip
            count = session.scalar(
                select(func.count()).select_from(model).where(column == bad_faq["id"])
            )
            assert count == 0, model
        assert session.scalar(select(func.count()).select_from(Faq)) == 2


def test_references_duplicates_and_unknown_kinds_are_rejected_one_by_one(
    seeded: Database,
) -> None:
    lines = export_bytes(seeded).splitlines()
    faq = orjson.loads(lines[16])
    document = {**faq["document"], "slug": "sample-a", "treatment": "nope"}
    missing_ref = {**faq, "id": "sample-1", "slug": "sample-a", "document": document}
    same_slug = {**faq, "id": "sample-2"}
    unknown = {**faq, "id": "sample-3", "kind": "recipe"}
    extra = [orjson.dumps(r) for r in (missing_ref, same_slug, unknown)] + [b"{not json"]
    empty_tables(seeded)

    report = import_bytes(seeded, b"\n".join([*lines, *extra]))

    reasons = {r.line: r.reason for r in report.rejected}
    first = len(lines) + 1
    assert sorted(reasons) == [first, first + 1, first + 2, first + 3]
    assert "unknown item(s): nope" in reasons[first]
    assert f"belongs to another faq (id {faq['id']})" in reasons[first + 1]
    assert "unknown kind 'recipe'" in reasons[first + 2]
    assert "not valid JSON" in reasons[first + 3]
    assert sum(report.imported.values()) == len(lines) - 1


def test_a_record_the_database_refuses_is_isolated_by_savepoints(seeded: Database) -> None:
    lines = export_bytes(seeded).splitlines()
    first, second = orjson.loads(lines[15]), orjson.loads(lines[16])
    second["revisions"][0]["id"] = first["revisions"][0]["id"]  # a clash only the DB sees
    lines[16] = orjson.dumps(second)
    empty_tables(seeded)

    report = import_bytes(seeded, b"\n".join(lines))

    assert [(r.line, r.label) for r in report.rejected] == [(17, f"faq/{second['slug']}")]
    assert report.rejected[0].reason.startswith("the database refused it")
    assert sum(report.imported.values()) == len(lines) - 2


def test_a_cut_off_file_is_not_ok(seeded: Database) -> None:
    lines = export_bytes(seeded).splitlines()
    empty_tables(seeded)

    report = import_bytes(seeded, b"\n".join(lines[:-1]))

    assert not report.rejected
    assert report.missing == 1
    assert not report.ok


def test_upsert_replaces_stored_items_and_create_refuses_them(seeded: Database) -> None:
    records = _records(export_bytes(seeded))
    faq = _faq(records, HOW_LONG)
    faq["document"]["answer"] = "A restored answer (sample)."  # type: ignore[index]
    faq["version"] = 9
    edited = b"".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n" for r in records)

    refused = import_bytes(seeded, edited)
    replaced = import_bytes(seeded, edited, mode=ImportMode.upsert)

    assert len(refused.rejected) == len(records) - 1
    assert "--mode upsert" in refused.rejected[0].reason
    assert replaced.ok and replaced.replaced == len(records) - 1
    assert export_bytes(seeded) == edited
    with seeded.transaction() as session:
        stored = session.scalars(select(Faq).where(Faq.slug == HOW_LONG)).one()
        assert (stored.answer, stored.version) == ("A restored answer (sample).", 9)


def test_admin_download_streams_the_same_bytes(
    rich: Database, client: TestClient, keys: dict[str, str]
) -> None:
    response = client.get("/v1/export", headers=auth(keys["admin"]))

    assert response.status_code == 200
    assert response.content == export_bytes(rich)
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    assert client.get("/v1/export", headers=auth(keys["publisher"])).status_code == 403


def _as_version_1(data: bytes) -> bytes:
    """The file as the previous format wrote it: no translation drafts, no `state`."""
    out = []
    for record in _records(data):
        if record["type"] == "manifest":
            record["version"] = 1
        else:
            record.pop("state")
            for translation in record["translations"].values():  # type: ignore[attr-defined]
                translation.pop("draft")
                translation.pop("state")
            for revision in record["revisions"]:  # type: ignore[attr-defined]
                revision.pop("state")
        out.append(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")
    return b"".join(out)


def test_a_version_1_file_still_imports(rich: Database, client: TestClient) -> None:
    current = export_bytes(rich)
    old = _as_version_1(current)
    empty_tables(rich)

    report = import_bytes(rich, old)

    assert report.ok, report.rejected
    again = _records(export_bytes(rich))
    assert again[0]["version"] == 3
    # Version 1 had no translation drafts: everything else comes back as it was.
    pending = _faq(again, "what-should-i-expect-after-immunotherapy")["translations"]["hi"]  # type: ignore[index]
    assert pending["draft"] is None
    assert [r for r in again if r["type"] == "item"] == [
        {**r, "translations": {
            locale: {**t, "draft": None} for locale, t in r["translations"].items()  # type: ignore[attr-defined]
        }}
        for r in _records(current)
        if r["type"] == "item"
    ]  # fmt: skip


def test_a_bad_translation_draft_is_rejected_with_its_locale(rich: Database) -> None:
    records = _records(export_bytes(rich))
    faq = _faq(records, "what-should-i-expect-after-immunotherapy")
    faq["translations"]["hi"]["draft"] = {"slug": "not-text"}  # type: ignore[index]
    data = b"".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n" for r in records)
    empty_tables(rich)

    report = import_bytes(rich, data)

    assert len(report.rejected) == 1
    assert report.rejected[0].reason.startswith("translations.hi:")
    assert "slug" in report.rejected[0].reason
