"""Revisions, the audit log and readability grades."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.db import Database
from app.services.api_key import SYSTEM
from app.services.editorial.audit import add_event
from models import AuditEvent
from tests.support.editorial import auth, create, patch, sample_faq, sample_treatment

HARD = (
    "Pharmacokinetic considerations necessitate individualized administration "
    "schedules contingent upon comprehensive haematological evaluation and "
    "multidisciplinary consultation regarding immunological contraindications."
)


def _revisions(client: TestClient, key: str, url: str) -> list[dict]:  # type: ignore[type-arg]
    response = client.get(f"{url}/revisions", headers=auth(key))
    assert response.status_code == 200, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


def test_restoring_revision_1_of_a_twice_edited_faq(
    client: TestClient, keys: dict[str, str]
) -> None:
    original = sample_faq("sample-q", answer="Original sample answer.")
    _data, etag = create(client, keys["editor"], "faqs", original)
    _data, etag = patch(client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Second."})
    _data, etag = patch(client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Third."})

    history = _revisions(client, keys["editor"], "/v1/faqs/sample-q")
    restored = client.post(
        "/v1/faqs/sample-q/revisions/1/restore", headers=auth(keys["editor"], etag)
    )
    after = _revisions(client, keys["editor"], "/v1/faqs/sample-q")

    assert [r["number"] for r in history] == [1, 2, 3]
    assert [r["actor"] for r in history] == ["editor (sample)"] * 3
    assert history[2]["diff"] == {"answer": {"from": "Second.", "to": "Third."}}
    assert restored.status_code == 200, restored.text
    assert restored.json()["data"]["answer"] == "Original sample answer."
    assert [r["action"] for r in after] == ["created", "updated", "updated", "reverted"]
    assert after[3]["diff"] == {"answer": {"from": "Third.", "to": "Original sample answer."}}
    one = client.get("/v1/faqs/sample-q/revisions/1", headers=auth(keys["editor"])).json()
    assert one["data"]["snapshot"]["answer"] == "Original sample answer."
    assert (
        client.get("/v1/faqs/sample-q/revisions/9", headers=auth(keys["editor"])).status_code == 404
    )


def test_audit_log_records_every_write_for_admins_only(
    client: TestClient, keys: dict[str, str]
) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())
    patch(client, keys["editor"], "treatments", "sample-therapy", etag, {"title": "B (sample)"})

    denied = client.get("/v1/audit", headers=auth(keys["publisher"]))
    log = client.get("/v1/audit", params={"kind": "treatment"}, headers=auth(keys["admin"]))

    assert denied.status_code == 403
    events = log.json()["data"]
    assert [(e["action"], e["actor"], e["version"]) for e in events] == [
        ("updated", "editor (sample)", 2),
        ("created", "editor (sample)", 1),
    ]
    assert events[0]["key_prefix"] and events[0]["api_key_id"]
    assert events[0]["details"]["fields"] == ["title"]


def test_audit_events_cannot_be_changed(database: Database) -> None:
    with database.transaction(write=True) as session:
        add_event(session, actor=SYSTEM, action="test", kind="sample")
    with (
        pytest.raises(RuntimeError, match="append-only"),
        database.transaction(write=True) as session,
    ):
        event = session.scalars(select(AuditEvent)).one()
        event.action = "tampered"
        session.flush()


def test_readability_is_graded_and_warned_but_never_blocks(
    client: TestClient, keys: dict[str, str]
) -> None:
    data, _etag = create(client, keys["editor"], "faqs", sample_faq("sample-hard", answer=HARD))
    create(
        client, keys["editor"], "faqs",
        sample_faq("sample-easy", answer="You can go home the same day. Bring a friend."),
    )  # fmt: skip

    hardest = client.get("/v1/editorial/readability", headers=auth(keys["editor"]))

    assert data["readability"]["answer"] > 8
    assert [w["field"] for w in data["warnings"]] == ["answer"]
    assert [i["slug"] for i in hardest.json()["data"]][:2] == ["sample-hard", "sample-easy"]
