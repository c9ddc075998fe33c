"""The sync feed: pages, cursors and tombstones, while content changes under it."""

import base64
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.content.kinds import KINDS
from app.db import Database
from app.services.change_hook import Action, Change, content_changed
from models import ChangeLog, Faq, SearchDocument
from models.base import Status
from tests.support.factories import change, make, translate

Key = tuple[str, str]


class OfflineClient:
    """What an app does: apply upserts and tombstones to its local store."""

    def __init__(self, client: TestClient, **params: str) -> None:
        self.client = client
        self.params = params
        self.store: dict[Key, dict[str, Any]] = {}
        self.cursor: str | None = None
        self.unknown_tombstones: list[Key] = []
        self.applied_tombstones = 0

    def page(self, limit: int) -> bool:
        params: dict[str, Any] = {**self.params, "limit": limit}
        if self.cursor is not None:
            params["cursor"] = self.cursor
        response = self.client.get("/v1/sync", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        for item in body["data"]["upserted"]:
            self.store[(item["kind"], item["id"])] = item
        for tombstone in body["data"]["deleted"]:
            key = (tombstone["kind"], tombstone["id"])
            if self.store.pop(key, None) is None:
                self.unknown_tombstones.append(key)
            else:
                self.applied_tombstones += 1
        self.cursor = body["meta"]["next_cursor"]
        return bool(body["meta"]["has_more"])

    def catch_up(self, limit: int) -> None:
        while self.page(limit):
            pass

    def versions(self) -> dict[Key, int]:
        return {key: item["version"] for key, item in self.store.items()}


def published_state(database: Database, paths: list[str] | None = None) -> dict[Key, int]:
    state: dict[Key, int] = {}
    with database.transaction(public=True) as session:
        for path in paths or list(KINDS):
            kind = KINDS[path]
            for item_id, version in session.execute(select(kind.model.id, kind.model.version)):
                state[(kind.name, item_id)] = version
    return state


def test_paging_while_content_changes_ends_exactly_at_the_published_state(
    client: TestClient, seeded: Database
) -> None:
    app_client = OfflineClient(client)
    edits = [
        lambda: make(seeded, "faqs", slug="sample-new-faq", question="Sample?", answer="Sample."),
        lambda: change(
            seeded, "treatments", "immunotherapy", Action.updated, title="Immuno (sample)"
        ),
        lambda: make(
            seeded, "faqs", slug="sample-draft", question="Draft?", answer="x", status=Status.draft
        ),
        lambda: change(seeded, "media", "launch-of-the-myeloma-clinic", Action.unpublished),
        lambda: change(seeded, "faqs", "how-long-will-i-get-immunotherapy", Action.deleted),
        lambda: translate(seeded, "faqs", "sample-new-faq", "hi", question="नमूना? (sample)"),
        lambda: change(seeded, "clinics", "myeloma-clinic", Action.archived),
        lambda: change(seeded, "faqs", "sample-new-faq", Action.updated, position=9),
        lambda: change(seeded, "media", "launch-of-the-myeloma-clinic", Action.published),
    ]

    has_more = app_client.page(limit=3)
    for edit in edits:
        edit()
        has_more = app_client.page(limit=3)
    while has_more:
        has_more = app_client.page(limit=3)

    assert app_client.versions() == published_state(seeded)
    # The video was unpublished before the cursor reached its seed entry, so the
    # client never had it; the feed cannot tell, and sends its tombstone anyway
    # (harmless: the client ignores it). Nothing else may arrive unknown.
    media_ids = {key for key in published_state(seeded, ["media"])}
    assert set(app_client.unknown_tombstones) <= media_ids
    assert app_client.applied_tombstones >= 2
    assert not any(item["slug"] == "sample-draft" for item in app_client.store.values())
    media = [item for (kind, _), item in app_client.store.items() if kind == "media"]
    assert [item["media_kind"] for item in media] == ["video"]

    change(seeded, "faqs", "sample-new-faq", Action.deleted)
    change(seeded, "treatment-types", "chemotherapy", Action.updated, name="Chemo (sample)")
    seen_unknown = len(app_client.unknown_tombstones)
    app_client.catch_up(limit=2)

    assert app_client.versions() == published_state(seeded)
    assert len(app_client.unknown_tombstones) == seen_unknown


def test_upserts_use_the_list_representation_and_the_locale(
    client: TestClient, seeded: Database
) -> None:
    translate(seeded, "faqs", "how-long-will-i-get-immunotherapy", "hi", question="कितना? (sample)")

    body = client.get("/v1/sync", params={"kinds": "faqs", "locale": "hi"}).json()

    faqs = {item["slug"]: item for item in body["data"]["upserted"]}
    listed = client.get("/v1/treatments/immunotherapy/faqs", params={"locale": "hi"}).json()
    for item in listed["data"]:
        assert faqs[item["slug"]] == {"kind": "faq", **item}
    assert faqs["how-long-will-i-get-immunotherapy"]["question"] == "कितना? (sample)"
    assert body["data"]["deleted"] == []
    assert body["meta"]["has_more"] is False


def test_kinds_filter_only_sends_those_kinds(client: TestClient, seeded: Database) -> None:
    app_client = OfflineClient(client, kinds="faqs,treatments")
    app_client.catch_up(limit=2)

    assert {kind for kind, _ in app_client.store} == {"faq", "treatment"}
    assert app_client.versions() == published_state(seeded, ["faqs", "treatments"])


def test_drafts_never_appear_not_even_as_tombstones(client: TestClient, database: Database) -> None:
    draft_id = make(
        database, "faqs", slug="sample-draft", question="D?", answer="d", status=Status.draft
    )
    change(database, "faqs", "sample-draft", Action.updated, answer="still a draft")

    first = client.get("/v1/sync").json()
    change(database, "faqs", "sample-draft", Action.updated, answer="again")
    second = client.get("/v1/sync", params={"cursor": first["meta"]["next_cursor"]}).json()

    assert draft_id not in str(first) + str(second)
    assert second["data"] == {"upserted": [], "deleted": []}
    assert second["meta"]["next_cursor"] == first["meta"]["next_cursor"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'{"v":1,"s":-5,"k":null}').decode()}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'{"v":9,"s":5,"k":null}').decode()}, "cursor"),
        ({"kinds": "faqs,unicorns"}, "kinds"),
        ({"limit": "501"}, "limit"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_parameters_are_400_problems_naming_them(
    client: TestClient, database: Database, params: dict[str, str], field: str
) -> None:
    response = client.get("/v1/sync", params=params)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_a_cursor_is_tied_to_its_kinds_filter(client: TestClient, seeded: Database) -> None:
    cursor = client.get("/v1/sync", params={"kinds": "faqs"}).json()["meta"]["next_cursor"]

    response = client.get("/v1/sync", params={"cursor": cursor, "kinds": "treatments"})

    assert response.status_code == 400
    assert client.get("/v1/sync", params={"limit": 500}).status_code == 200


def test_seed_goes_through_the_hook_into_log_and_index(seeded: Database) -> None:
    with seeded.transaction() as session:
        logged = session.scalar(select(func.count()).select_from(ChangeLog))
        indexed = session.scalar(select(func.count()).select_from(SearchDocument))
    assert logged == indexed == len(published_state(seeded)) == 22


@pytest.mark.postgres_only
def test_change_log_rows_commit_in_seq_order_on_postgres(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers itself")
    make(database, "faqs", slug="sample-a", question="A?", answer="a")
    first_in = threading.Event()
    seqs: dict[str, int] = {}

    def write(name: str, hold: threading.Event | None) -> None:
        with database.transaction(write=True) as session:
            item = session.scalars(select(Faq).where(Faq.slug == "sample-a")).one()
            item.version += 1
            content_changed(session, change=Change("faq", item, Action.updated))
            seqs[name] = session.scalar(select(func.max(ChangeLog.seq))) or 0
            if hold is not None:
                first_in.set()
                hold.wait(5)

    release = threading.Event()
    first = threading.Thread(target=write, args=("first", release))
    first.start()
    first_in.wait(5)
    second = threading.Thread(target=write, args=("second", None))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second writer must wait for the first to commit"
    release.set()
    first.join(5)
    second.join(5)
    assert seqs["second"] > seqs["first"]
