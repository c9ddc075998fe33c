"""FHIR search mechanics: _lastUpdated, paging, errors, conformance, cost."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from app.db import Database
from app.deps import allowed_query_params
from app.fhir.capability import SEARCH_PARAMS
from app.services.delivery import fhir_queries as fhir_service
from models import Doctor
from routers.fhir import router as fhir_router
from tests.support.factories import make
from tests.support.fhir_support import fhir_json, link, resources

BASE = "/fhir/r4"
OLD = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def old_and_new(database: Database) -> tuple[str, str]:
    """Two doctors without clinics: one last changed at OLD, one just now."""
    old = make(database, "doctors", slug="sample-old", name="Sample Old")
    new = make(database, "doctors", slug="sample-new", name="Sample New")
    with database.transaction(write=True) as session:
        session.execute(update(Doctor).where(Doctor.id == old).values(updated_at=OLD))
    return old, new


LAST_UPDATED_CASES = [
    (["lt2021"], {"old"}),
    (["ge2021"], {"new"}),
    (["2020-01-01"], {"old"}),
    (["eq2020-01-02"], set()),
    (["gt2020-01-01"], {"new"}),
    (["le2020-01"], {"old"}),
    (["ne2020"], {"new"}),
    (["ge2020-01-01T17:30:00+05:30"], {"old", "new"}),
    (["ge2020-01-01T17:31+05:30"], {"new"}),
    (["eq2020-01-01T12:00:00Z"], {"old"}),
    (["ge2019", "lt2021"], {"old"}),
]


@pytest.mark.parametrize("resource_type", ["Practitioner", "PractitionerRole"])
def test_last_updated_prefixes_and_precision(
    client: TestClient, database: Database, old_and_new: tuple[str, str], resource_type: str
) -> None:
    old, new = old_and_new
    names = {old: "old", new: "new"}

    def doctor_id(resource: dict[str, Any]) -> str:
        if resource_type == "Practitioner":
            return str(resource["id"])
        return str(resource["practitioner"]["reference"].split("/")[1])

    for values, expected in LAST_UPDATED_CASES:
        url = f"{BASE}/{resource_type}"
        bundle = fhir_json(client.get(url, params={"_lastUpdated": values}))
        assert {names[doctor_id(r)] for r in resources(bundle)} == expected, values
        assert bundle["total"] == len(expected), values


def test_last_updated_is_served_with_full_precision(
    client: TestClient, database: Database, old_and_new: tuple[str, str]
) -> None:
    resource = fhir_json(client.get(f"{BASE}/Practitioner/{old_and_new[0]}"))

    assert resource["meta"]["lastUpdated"] == "2020-01-01T12:00:00Z"


def test_bad_last_updated_is_a_400_outcome(client: TestClient, database: Database) -> None:
    for value in ["yesterday", "sa2020", "2020-13", "2020-01-01T10:00:00 05:30", "ge2020-02-30"]:
        response = client.get(f"{BASE}/Practitioner", params={"_lastUpdated": value})
        outcome = fhir_json(response, 400)
        assert outcome["issue"][0]["diagnostics"].startswith("_lastUpdated"), value


def test_paging_links_total_and_count_bounds(client: TestClient, database: Database) -> None:
    for n in range(1, 26):
        make(database, "doctors", slug=f"sample-doctor-{n:02d}", name=f"Sample Doctor {n:02d}")

    first = fhir_json(client.get(f"{BASE}/Practitioner", params={"_count": 10, "name": "sample"}))
    assert first["total"] == 25
    assert len(first["entry"]) == 10
    assert link(first, "previous") is None
    next_url = link(first, "next")
    assert next_url is not None
    assert next_url.startswith("https://content.hospital.example/fhir/r4/Practitioner?")
    assert "name=sample" in next_url and "_offset=10" in next_url

    last = fhir_json(client.get(f"{BASE}/Practitioner", params={"_count": 10, "_offset": 20}))
    assert [r["name"][0]["text"] for r in resources(last)][-1] == "Sample Doctor 25"
    assert link(last, "next") is None
    assert link(last, "previous") is not None and "_offset=10" in str(link(last, "previous"))

    only_total = fhir_json(client.get(f"{BASE}/Practitioner", params={"_count": 0}))
    assert only_total["total"] == 25 and "entry" not in only_total

    clamped = fhir_json(client.get(f"{BASE}/Practitioner", params={"_count": 500}))
    assert "_count=100" in str(link(clamped, "self"))


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("GET", "/Practitioner?bogus=1", {}, 400, "invalid"),
        ("GET", "/Practitioner?_count=many", {}, 400, "invalid"),
        ("GET", "/HealthcareService?specialty=x", {}, 400, "invalid"),
        ("GET", "/PractitionerRole?practitioner=Organization/1", {}, 400, "invalid"),
        ("GET", "/Practitioner", {"Accept": "application/xml"}, 406, "not-supported"),
        ("GET", "/Practitioner/unknown", {}, 404, "not-found"),
        ("GET", "/Patient", {}, 404, "not-found"),
        ("POST", "/Practitioner", {}, 405, "not-supported"),
    ],
)
def test_errors_are_operation_outcomes(
    client: TestClient,
    database: Database,
    method: str,
    path: str,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    response = client.request(method, BASE + path, headers=headers)

    outcome = fhir_json(response, status)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == code


@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", "application/fhir+json;q=0.9, text/html", ""]
)
def test_json_accept_headers_are_served(
    client: TestClient, database: Database, accept: str
) -> None:
    fhir_json(client.get(f"{BASE}/metadata", headers={"Accept": accept}))


def test_capability_statement_matches_the_routes(client: TestClient, database: Database) -> None:
    statement = fhir_json(client.get(f"{BASE}/metadata"))

    assert statement["fhirVersion"] == "4.0.1"
    assert statement["kind"] == "instance"
    assert "json" in statement["format"]
    [rest] = statement["rest"]
    routes = {r.path: r for r in fhir_router.routes if isinstance(r, APIRoute)}
    for resource in rest["resource"]:
        assert {i["code"] for i in resource["interaction"]} == {"read", "search-type"}
        declared = {p["name"] for p in resource["searchParam"]}
        route = routes[f"{BASE}/{resource['type']}"]
        assert allowed_query_params(route) - {"_count", "_offset", "specialty:text"} == declared
        assert f"{BASE}/{resource['type']}/{{resource_id}}" in routes
    assert {r["type"] for r in rest["resource"]} == set(SEARCH_PARAMS)


@contextmanager
def count_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("resource_type", ["Practitioner", "PractitionerRole"])
def test_statements_per_search_do_not_grow_with_the_page(
    client: TestClient, database: Database, resource_type: str
) -> None:
    def statements_for_page() -> int:
        with count_statements(database) as statements:
            fhir_json(client.get(f"{BASE}/{resource_type}"))
        return len(statements)

    make(database, "clinics", slug="sample-clinic", name="Sample Clinic")
    make(database, "doctors", slug="sample-0", name="Sample 0", clinics=["sample-clinic"])
    small = statements_for_page()
    for n in range(1, 15):
        make(
            database,
            "doctors",
            slug=f"sample-{n}",
            name=f"Sample {n}",
            specialties=["Sample specialty"],
            languages=["en"],
            clinics=["sample-clinic"],
        )

    assert statements_for_page() == small


def test_unexpected_error_is_an_outcome_without_internals(
    app: FastAPI, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(fhir_service, "search", explode)
    # No `with`: the shared app is already running (its lifespan must not run twice).
    response = TestClient(app, raise_server_exceptions=False).get(f"{BASE}/Practitioner")

    outcome = fhir_json(response, 500)
    assert outcome["issue"][0]["severity"] == "fatal"
    assert "secret" not in response.text
