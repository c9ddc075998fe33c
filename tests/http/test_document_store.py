"""The rendered-document store: a stored answer is exactly a fresh render's, and
every change a reader could notice removes it in the writing transaction.

Most tests run with the in-memory response cache off, so every answer after
the first comes from the store or from a render, never from memory.
"""

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from app.content.kinds import KINDS
from app.db import Database
from app.http import cold_reads as document_store
from app.http.cold_reads import DocumentStore
from app.http.response_cache import cache_key
from app.services.change_hook import Action, Change, content_changed
from app.services.delivery import rendered_documents as rendered_document
from models import Faq, RenderedDocument, RenderedGeneration, Treatment
from models.base import Status
from tests.http.test_fast_lane import _wire, framework_unreachable
from tests.support.apps import SettingsApp
from tests.support.editorial import REVIEWER, act, auth, create, sample_faq
from tests.support.factories import make, translate

DETAIL = "/v1/treatments/store-therapy"
SPANISH = "Terapia de muestra (sample Spanish)"
Apply = Callable[[TestClient, dict[str, str]], None]


def _web(database: Database) -> None:
    """One treatment with every kind of thing its page shows, and a Spanish title."""
    make(database, "treatment-types", slug="store-type", name="Store type (sample)")
    make(database, "administration-routes", slug="store-route", name="Store route (sample)")
    make(database, "treatments", slug="store-therapy", title="Store therapy (sample)",
         type="store-type", administration_routes=[{"route": "store-route"}])  # fmt: skip
    make(database, "faqs", slug="store-faq", treatment="store-therapy", position=0,
         question="Store question (sample)?", answer="Sample.")  # fmt: skip
    make(database, "clinics", slug="store-clinic", name="Store clinic (sample)",
         treatments=["store-therapy"])  # fmt: skip
    make(database, "doctors", slug="store-doctor", name="Dr. Store (sample)",
         clinics=["store-clinic"], treatments=["store-therapy"])  # fmt: skip
    make(database, "media", slug="store-media", kind="video", title="Store video (sample)",
         treatments=["store-therapy"])  # fmt: skip
    translate(database, "treatments", "store-therapy", "es", title=SPANISH)


def _store(app: FastAPI) -> DocumentStore:
    store = app.state.document_store
    assert isinstance(store, DocumentStore)
    return store


def _documents(database: Database) -> list[RenderedDocument]:
    with database.transaction() as session:
        return list(session.scalars(select(RenderedDocument)))


def _clear_store(database: Database) -> None:
    with database.transaction(write=True) as session:
        rendered_document.clear(session)


@pytest.fixture
def store_app(settings_app: SettingsApp) -> Iterator[tuple[TestClient, FastAPI]]:
    app = settings_app(response_cache=False)
    with TestClient(app) as client:
        yield client, app


REQUESTS = [
    (DETAIL, {}),
    (DETAIL, {"Accept-Encoding": "gzip"}),
    (DETAIL, {"Accept-Encoding": "identity"}),
    (DETAIL, {"Accept": "application/ld+json"}),
    (DETAIL, {"Accept-Language": "es"}),
    (DETAIL, {"Accept-Language": "es", "Accept": "application/ld+json"}),
    (f"{DETAIL}/faqs", {}),
    ("/v1/treatments?type=store-type", {}),
    ("/v1/search?q=store", {}),
]
CONFIGS = {"memory cache off": {"response_cache": False}, "memory cache on": {}}


@pytest.mark.parametrize("config", CONFIGS)
def test_a_store_hit_is_byte_for_byte_a_fresh_render(
    settings_app: SettingsApp, database: Database, config: str
) -> None:
    _web(database)
    app = settings_app(**CONFIGS[config])
    memory = app.state.response_cache

    def fresh(method: str, url: str, headers: dict[str, str]) -> Response:
        _clear_store(database)
        if memory is not None:
            memory.clear()
        return client.request(method, url, headers=headers)

    def from_store(method: str, url: str, headers: dict[str, str]) -> Response:
        if memory is not None:
            memory.clear()
        return client.request(method, url, headers=headers)

    with TestClient(app) as client:
        for url, extra in REQUESTS:
            headers = {"X-Request-ID": "trace-1"} | extra
            render = fresh("GET", url, headers)
            assert render.status_code == 200, (url, render.text)
            conditional = headers | {"If-None-Match": render.headers["etag"]}
            not_modified_render = fresh("GET", url, conditional)
            head_render = fresh("HEAD", url, headers)
            fresh("GET", url, headers)
            hits = _store(app).hits
            with framework_unreachable(app):
                hit = from_store("GET", url, headers)
                head_hit = from_store("HEAD", url, headers)
                not_modified_hit = from_store("GET", url, conditional)
            assert _store(app).hits == hits + 3
            assert _wire(hit) == _wire(render), (config, url, extra)
            assert hit.content == render.content
            assert _wire(head_hit) == _wire(head_render), (config, url, extra)
            assert head_hit.content == b""
            assert not_modified_hit.status_code == not_modified_render.status_code == 304
            assert _wire(not_modified_hit) == _wire(not_modified_render), (config, url, extra)


def _editorial_etag(client: TestClient, key: str, path: str, slug: str) -> str:
    response = client.get(f"/v1/editorial/{path}/{slug}", headers=auth(key))
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def _edit_and_publish(
    client: TestClient,
    keys: dict[str, str],
    path: str,
    slug: str,
    body: dict[str, Any],
    locale: str | None = None,
) -> None:
    etag = _editorial_etag(client, keys["editor"], path, slug)
    response = client.patch(
        f"/v1/{path}/{slug}",
        params={"locale": locale} if locale else None,
        json=body,
        headers=auth(keys["editor"], etag),
    )
    assert response.status_code == 200, response.text
    etag = response.headers["ETag"]
    if path in ("treatments", "faqs"):
        _data, etag = act(client, keys["editor"], path, slug, "review", etag, reviewed_by=REVIEWER)
    act(client, keys["publisher"], path, slug, "publish", etag)


def _new_faq(client: TestClient, keys: dict[str, str]) -> None:
    body = sample_faq("store-new-faq", "store-therapy", question="Newly published (sample)?")
    _data, etag = create(client, keys["editor"], "faqs", body)
    _data, etag = act(client, keys["editor"], "faqs", "store-new-faq", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    act(client, keys["publisher"], "faqs", "store-new-faq", "publish", etag)


def _act(path: str, slug: str, action: str) -> Apply:
    def run(client: TestClient, keys: dict[str, str]) -> None:
        etag = _editorial_etag(client, keys["editor"], path, slug)
        act(client, keys["publisher"], path, slug, action, etag)

    return run


def _delete(path: str, slug: str) -> Apply:
    def run(client: TestClient, keys: dict[str, str]) -> None:
        etag = _editorial_etag(client, keys["editor"], path, slug)
        response = client.delete(f"/v1/{path}/{slug}", headers=auth(keys["publisher"], etag))
        assert response.status_code in (200, 204), response.text

    return run


def _edit(path: str, slug: str, locale: str | None = None, **body: Any) -> Apply:
    def run(client: TestClient, keys: dict[str, str]) -> None:
        _edit_and_publish(client, keys, path, slug, body, locale)

    return run


# (change, request headers, what the next read must contain, what it must not)
CHANGES: dict[str, tuple[Apply, dict[str, str], str, str]] = {
    "faq edited": (_edit("faqs", "store-faq", question="Edited question (sample)?"), {},
                   "Edited question (sample)?", "Store question (sample)?"),
    "faq published": (_new_faq, {}, "Newly published (sample)?", "\x00"),
    "faq unpublished": (_act("faqs", "store-faq", "unpublish"), {}, "Store therapy",
                        "Store question (sample)?"),
    "doctor renamed": (_edit("doctors", "store-doctor", name="Dr. Renamed (sample)"), {},
                       "Dr. Renamed (sample)", "Dr. Store (sample)"),
    "clinic renamed": (_edit("clinics", "store-clinic", name="Renamed clinic (sample)"), {},
                       "Renamed clinic (sample)", "Store clinic (sample)"),
    "media retitled": (_edit("media", "store-media", title="Retitled video (sample)"), {},
                       "Retitled video (sample)", "Store video (sample)"),
    "route renamed": (_edit("administration-routes", "store-route", name="Renamed route (sample)"),
                      {}, "Renamed route (sample)", "Store route (sample)"),
    "type renamed": (_edit("treatment-types", "store-type", name="Renamed type (sample)"), {},
                     "Renamed type (sample)", "Store type (sample)"),
    "treatment retitled": (_edit("treatments", "store-therapy", title="Retitled (sample)"), {},
                           "Retitled (sample)", "Store therapy (sample)"),
    "translation edited": (_edit("treatments", "store-therapy", "es", title="Nuevo (sample)"),
                           {"Accept-Language": "es"}, "Nuevo (sample)", SPANISH),
    "treatment unpublished": (_act("treatments", "store-therapy", "unpublish"), {}, "not-found",
                              "Store therapy (sample)"),
    "treatment deleted": (_delete("treatments", "store-therapy"), {}, "not-found",
                          "Store therapy (sample)"),
}  # fmt: skip


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_a_reader_could_see_removes_the_stored_document(
    store_app: tuple[TestClient, FastAPI], database: Database, keys: dict[str, str], change: str
) -> None:
    client, app = store_app
    _web(database)
    apply, headers, shown, gone = CHANGES[change]
    before = client.get(DETAIL, headers=headers)
    assert gone in before.text or gone == "\x00"
    hits = _store(app).hits
    assert client.get(DETAIL, headers=headers).content == before.content
    assert _store(app).hits == hits + 1  # the document really was served from the store

    apply(client, keys)

    after = client.get(DETAIL, headers=headers)
    assert shown in after.text, (change, after.text[:300])
    assert gone not in after.text
    again = client.get(DETAIL, headers=headers)
    assert again.status_code == after.status_code
    if after.status_code == 200:
        assert again.content == after.content


def test_drafts_are_never_stored_or_served(
    store_app: tuple[TestClient, FastAPI], database: Database, keys: dict[str, str]
) -> None:
    client, _app = store_app
    _web(database)
    _data, _etag = create(client, keys["editor"], "treatments",
                          {"slug": "store-draft", "title": "Draft only (sample)"})  # fmt: skip
    client.get(DETAIL)
    etag = _editorial_etag(client, keys["editor"], "treatments", "store-therapy")
    response = client.patch("/v1/treatments/store-therapy", json={"title": "Draft title (sample)"},
                            headers=auth(keys["editor"], etag))  # fmt: skip
    assert response.status_code == 200, response.text
    as_editor = client.get("/v1/editorial/treatments/store-therapy", headers=auth(keys["editor"]))
    assert "Draft title (sample)" in as_editor.text

    assert client.get("/v1/treatments/store-draft").status_code == 404
    for _ in range(2):  # a render (the edit bumped the public version), then the store
        assert client.get(DETAIL).json()["data"]["title"] == "Store therapy (sample)"
    documents = _documents(database)
    assert documents and all(b"Draft" not in doc.body for doc in documents)
    assert all("store-draft" not in doc.path for doc in documents)
    assert all(b"authorization" not in doc.headers for doc in documents)


def test_one_locale_is_never_served_for_another(
    store_app: tuple[TestClient, FastAPI], database: Database
) -> None:
    client, _app = store_app
    _web(database)
    for _ in range(2):  # a render, then the store
        spanish = client.get(DETAIL, headers={"Accept-Language": "es"})
        english = client.get(DETAIL, headers={"Accept-Language": "en"})
        default = client.get(DETAIL)
        assert spanish.json()["data"]["title"] == SPANISH
        assert spanish.headers["content-language"] == "es"
        assert english.json()["data"]["title"] == default.json()["data"]["title"]
        assert english.json()["data"]["title"] == "Store therapy (sample)"
    assert len({doc.key for doc in _documents(database)}) == 3


def test_a_rolled_back_write_keeps_the_stored_document(
    store_app: tuple[TestClient, FastAPI], database: Database
) -> None:
    client, app = store_app
    _web(database)
    stored = client.get(DETAIL).content
    count = len(_documents(database))

    with pytest.raises(RuntimeError), database.transaction(write=True) as session:
        item = session.scalars(select(Treatment).where(Treatment.slug == "store-therapy")).one()
        item.title = "Never committed (sample)"
        item.version += 1
        content_changed(session, change=Change("treatment", item, Action.updated))
        rendered_document.purge(session, tags={item.id})  # as the commit would have
        raise RuntimeError("the write fails after its purge")

    assert len(_documents(database)) == count
    hits = _store(app).hits
    assert client.get(DETAIL).content == stored
    assert _store(app).hits == hits + 1


def test_a_document_past_a_schedule_boundary_is_not_served(
    store_app: tuple[TestClient, FastAPI], database: Database
) -> None:
    client, app = store_app
    _web(database)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    make(database, "faqs", slug="store-scheduled", treatment="store-therapy", position=1,
         question="Scheduled question (sample)?", answer="Sample.")  # fmt: skip
    with database.transaction(write=True) as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "store-scheduled")).one()
        faq.publish_at = soon
        faq.version += 1
        content_changed(session, change=Change("faq", faq, Action.scheduled))
    assert "Scheduled question" not in client.get(DETAIL).text
    (document,) = [doc for doc in _documents(database) if doc.path == DETAIL]
    assert document.expires_at == soon

    # Time passes (the clock cannot be moved, so the schedule and the stored
    # boundary are moved back instead, without any change hook or purge).
    past = datetime.now(UTC) - timedelta(seconds=1)
    with database.transaction(write=True) as session:
        session.execute(update(Faq).where(Faq.slug == "store-scheduled").values(publish_at=past))
        session.execute(update(RenderedDocument).values(expires_at=past))
    hits = _store(app).hits

    assert "Scheduled question (sample)?" in client.get(DETAIL).text
    assert _store(app).hits == hits


def test_a_document_expires_when_a_review_date_flips_review_overdue(
    store_app: tuple[TestClient, FastAPI], database: Database
) -> None:
    client, _app = store_app
    _web(database)
    today = datetime.now(UTC).date()
    with database.transaction(write=True) as session:
        item = session.scalars(select(Treatment).where(Treatment.slug == "store-therapy")).one()
        item.next_review_due = today + timedelta(days=3)
        item.version += 1
        content_changed(session, change=Change("treatment", item, Action.reviewed))

    assert client.get(DETAIL).json()["data"]["review_overdue"] is False
    (document,) = [doc for doc in _documents(database) if doc.path == DETAIL]
    midnight = datetime.combine(today + timedelta(days=4), datetime.min.time(), tzinfo=UTC)
    assert document.expires_at == midnight


def test_a_render_that_raced_a_write_is_not_stored(database: Database) -> None:
    _web(database)
    with database.transaction() as session:
        seen = rendered_document.generation_value(session)
    assert seen is not None
    with database.transaction(write=True) as session:
        rendered_document.purge(session, tags={"content"})  # a write commits meanwhile
    values = {"path": DETAIL, "route": "/v1/treatments/{slug}", "content_type": "application/json",
              "etag": '"x"', "surrogate_key": "content", "headers": b"", "body": b"{}",
              "stored_at": datetime.now(UTC), "expires_at": None}  # fmt: skip
    with database.transaction(write=True) as session:
        saved = rendered_document.save(
            session, generation=seen, key="k" * 64, values=values, tags=["content"]
        )
        assert saved is False
        assert session.scalar(select(func.count()).select_from(RenderedDocument)) == 0
        assert session.scalar(select(RenderedGeneration.value)) == seen + 1


def test_a_failing_store_never_fails_a_read(
    store_app: tuple[TestClient, FastAPI], database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, app = store_app
    _web(database)
    expected = client.get(DETAIL).content

    def unreadable(*_args: Any, **_kwargs: Any) -> Any:
        raise sqlite3.OperationalError("the store is unavailable")

    async def unreachable(*_args: Any, **_kwargs: Any) -> Any:
        raise psycopg.OperationalError("the store is unavailable")

    def unwritable(*_args: Any, **_kwargs: Any) -> Any:
        raise OperationalError("INSERT", {}, Exception("the store is unavailable"))

    store = _store(app)
    monkeypatch.setattr(store, "_sqlite_row", unreadable)
    if store._postgres is not None:
        monkeypatch.setattr(store._postgres, "fetch_one", unreachable)
    monkeypatch.setattr(rendered_document, "save", unwritable)
    errors = store.errors

    assert client.get(DETAIL).content == expected
    assert client.get(f"{DETAIL}/faqs").status_code == 200
    assert store.errors >= errors + 2


def test_bulk_writes_clear_the_store(
    store_app: tuple[TestClient, FastAPI], database: Database
) -> None:
    from app.services.change_hook import after_bulk_insert

    client, _app = store_app
    _web(database)
    client.get(DETAIL)
    assert _documents(database)
    with database.transaction(write=True) as session:
        after_bulk_insert(session, kind=KINDS["faqs"].name, ids=["no-such-id"])
    assert _documents(database) == []


def test_draft_kinds_only_purge_when_visible(database: Database) -> None:
    """Mirrors app.http.invalidation: an invisible edit bumps nothing."""
    _web(database)
    with database.transaction() as session:
        before = rendered_document.generation_value(session)
    make(database, "faqs", status=Status.draft, slug="store-draft-faq", treatment="store-therapy",
         question="Draft (sample)?", answer="Sample.")  # fmt: skip
    with database.transaction() as session:
        assert rendered_document.generation_value(session) == before


def test_the_store_is_bounded_and_prunes_the_oldest(
    settings_app: SettingsApp, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.http import cold_reads as document_store

    monkeypatch.setattr(document_store, "PRUNE_EVERY", 1)
    _web(database)
    limited = {"response_cache": False, "document_store_max_documents": 2}
    with TestClient(settings_app(**limited)) as client:
        for locale in ("en", "es", "fr", "de"):
            assert client.get(DETAIL, headers={"Accept-Language": locale}).status_code == 200
        assert len(_documents(database)) == 2
        assert client.get(DETAIL, headers={"Accept-Language": "es"}).status_code == 200


@pytest.mark.parametrize(("every", "least", "most"), [(0.0, 20, 21), (3600.0, 0, 1)])
def test_inline_sqlite_lookups_yield_to_the_loop_at_the_set_pace(
    database: Database, monkeypatch: pytest.MonkeyPatch, every: float, least: int, most: int
) -> None:
    """Lookups run inline on the event loop; they hand it back no more often
    than YIELD_EVERY (every time at 0, about never at an hour)."""
    if database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL lookups await the network, so they always yield")
    store = DocumentStore(database, max_documents=10, review_grace_days=None)
    monkeypatch.setattr(document_store, "YIELD_EVERY", every)
    monkeypatch.setattr(store, "_sqlite_row", lambda _hashed: None)
    key = cache_key("/v1/treatments", b"", b"", b"", "identity")

    async def run() -> int:
        turns = 0

        async def ticker() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        start = turns
        for _ in range(20):
            assert (await store.lookup(key)).entry is None
        task.cancel()
        return turns - start

    assert least <= asyncio.run(run()) <= most
