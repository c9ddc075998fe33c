"""Every read endpoint issues a bounded number of SQL statements, however
many related rows it returns: no query per item, no query per link."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.db import Database
from tests.support.apps import SettingsApp
from tests.support.factories import make

MAX_STATEMENTS = 14  # treatment detail: 12 loads + 1 translation lookup, with headroom of 1

LIST_PATHS = [
    "/v1/treatments",
    "/v1/treatment-types",
    "/v1/administration-routes",
    "/v1/faqs",
    "/v1/doctors",
    "/v1/clinics",
    "/v1/media",
    "/v1/conditions",
]


def _detail_paths(tag: str) -> list[str]:
    return [
        f"/v1/treatments/t-{tag}-0",
        f"/v1/treatments/t-{tag}-0/faqs",
        f"/v1/treatment-types/type-{tag}",
        f"/v1/administration-routes/route-{tag}",
        f"/v1/faqs/f-{tag}-0",
        f"/v1/doctors/d-{tag}-0",
        f"/v1/clinics/c-{tag}-0",
        f"/v1/media/m-{tag}-0",
        f"/v1/conditions/cond-{tag}-0",
        "/v1/organization",
    ]


def _web(database: Database, n: int, tag: str) -> None:
    """n of every kind, all linked, so each item `*-{tag}-0` has n of each relation."""
    sample = f"({tag} sample)"
    make(database, "treatment-types", slug=f"type-{tag}", name=f"Type {sample}")
    make(database, "administration-routes", slug=f"route-{tag}", name=f"Route {sample}")
    ids = range(n)
    for i in ids:
        make(database, "treatment-types", slug=f"type-{tag}-{i}", name=f"Type {i} {sample}",
             parent=f"type-{tag}")  # fmt: skip
        make(database, "administration-routes", slug=f"route-{tag}-{i}",
             name=f"Route {i} {sample}", parent=f"route-{tag}")  # fmt: skip
    treatments = [f"t-{tag}-{i}" for i in ids]
    clinics = [f"c-{tag}-{i}" for i in ids]
    doctors = [f"d-{tag}-{i}" for i in ids]
    for i, slug in enumerate(treatments):
        routes = [f"route-{tag}-{j}" for j in ids] if i == 0 else [f"route-{tag}-{i}"]
        make(database, "treatments", slug=slug, title=f"Treatment {i} {sample}",
             type=f"type-{tag}-{i}",
             administration_routes=[{"route": r} for r in routes])  # fmt: skip
        make(database, "faqs", slug=f"f-{tag}-{i}", treatment=treatments[0], position=i,
             question=f"Question {i} {sample}?", answer="Sample.",
             tags=[f"tag-{j}" for j in ids])  # fmt: skip
    for i, slug in enumerate(clinics):
        make(database, "clinics", slug=slug, name=f"Clinic {i} {sample}",
             treatments=treatments if i == 0 else treatments[:1])  # fmt: skip
    for i, slug in enumerate(doctors):
        make(database, "doctors", slug=slug, name=f"Doctor {i} {sample}",
             specialties=[f"Specialty {j}" for j in ids], languages=["en"],
             clinics=clinics if i == 0 else clinics[:1],
             treatments=treatments if i == 0 else treatments[:1])  # fmt: skip
    for i in ids:
        every = i == 0
        make(database, "conditions", slug=f"cond-{tag}-{i}", name=f"Condition {i} {sample}",
             codes=[{"system": "SNOMED-CT", "code": f"{100000 + i}", "display": "Sample"}],
             treatments=treatments if every else treatments[:1],
             doctors=doctors if every else doctors[:1],
             clinics=clinics if every else clinics[:1])  # fmt: skip
        make(database, "media", slug=f"m-{tag}-{i}", kind="video", title=f"Video {i} {sample}",
             treatments=treatments if every else treatments[:1],
             doctors=doctors if every else doctors[:1],
             clinics=clinics if every else clinics[:1])  # fmt: skip


@pytest.fixture
def statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def _record(*args: Any) -> None:
        # SQLite's explicit BEGIN is a transaction marker, not a query; PostgreSQL has none.
        if not args[2].startswith("BEGIN"):
            seen.append(args[2])

    event.listen(database.engine, "before_cursor_execute", _record)
    yield seen
    event.remove(database.engine, "before_cursor_execute", _record)


@pytest.fixture
def cold_client(settings_app: SettingsApp) -> Iterator[TestClient]:
    """Response cache and document store off: these tests count the SQL a render costs."""
    app = settings_app(response_cache=False, document_store=False)
    with TestClient(app) as test_client:
        yield test_client


def _count(client: TestClient, statements: list[str], path: str) -> int:
    statements.clear()
    response = client.get(path, params={"limit": 100} if path in LIST_PATHS else None)
    assert response.status_code == 200, (path, response.text)
    return len(statements)


def test_detail_statements_do_not_grow_with_related_rows(
    cold_client: TestClient, database: Database, statements: list[str]
) -> None:
    client = cold_client
    make(database, "organization", slug="org-sample", name="Hospital (sample)")
    _web(database, 1, "few")
    _web(database, 30, "many")

    few = {p.replace("-few", ""): _count(client, statements, p) for p in _detail_paths("few")}
    many = {p.replace("-many", ""): _count(client, statements, p) for p in _detail_paths("many")}

    assert few == many
    assert max(many.values()) <= MAX_STATEMENTS, many


def test_list_statements_do_not_grow_with_items(
    cold_client: TestClient, database: Database, statements: list[str]
) -> None:
    client = cold_client
    _web(database, 1, "few")
    few = {path: _count(client, statements, path) for path in LIST_PATHS}
    _web(database, 30, "many")
    many = {path: _count(client, statements, path) for path in LIST_PATHS}

    assert client.get("/v1/doctors", params={"limit": 100}).json()["meta"]["total"] == 31
    assert few == many
    assert max(many.values()) <= MAX_STATEMENTS, many


def test_a_document_store_hit_is_one_statement(
    settings_app: SettingsApp, database: Database, statements: list[str]
) -> None:
    """With the response cache off, a stored answer costs one indexed SELECT."""
    app = settings_app(response_cache=False)
    make(database, "organization", slug="org-sample", name="Hospital (sample)")
    _web(database, 3, "store")
    with TestClient(app) as client:
        store = app.state.document_store
        if store.sqlite_path is not None:  # SQLite lookups use the store's own connection
            store.sqlite_connection().set_trace_callback(statements.append)
        paths = [*_detail_paths("store"), *LIST_PATHS]

        def count(path: str) -> int:  # PostgreSQL lookups use the store's async connections
            before = store.pg_lookups
            return _count(client, statements, path) + store.pg_lookups - before

        rendered = {path: count(path) for path in paths}
        hits = {path: count(path) for path in paths}

    assert hits == dict.fromkeys(paths, 1), hits
    assert max(rendered.values()) <= MAX_STATEMENTS + 6, rendered  # render, lookup, store
