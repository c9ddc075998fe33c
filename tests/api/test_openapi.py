"""The OpenAPI document: 3.1, browsable, and every success answer illustrated
by a real example that matches its declared model."""

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api import openapi as openapi_module
from app.api.openapi_responses import examples
from app.cli.examples import capture, requests
from app.config import Settings
from app.db import Database
from app.main import create_app
from routers import (
    ROUTERS,
    editorial_revisions,
    editorial_views,
    editorial_workflow,
    editorial_writes,
    export,
)

# Key-only routes answer editors, not the public contract these examples illustrate.
EDITORIAL = {
    id(module.router)
    for module in (
        editorial_revisions,
        editorial_views,
        editorial_workflow,
        editorial_writes,
        export,
    )
}


def _public_get_routes() -> list[APIRoute]:
    return [
        route
        for router in ROUTERS
        if id(router) not in EDITORIAL
        for route in router.routes
        if isinstance(route, APIRoute)
        and "GET" in (route.methods or ())
        and route.path.startswith("/v1")
    ]


def test_document_is_openapi_3_1_and_docs_page_renders(app: FastAPI) -> None:
    client = TestClient(app)

    assert client.get("/openapi.json").json()["openapi"].startswith("3.1.")
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")


def test_every_public_get_has_a_200_example(app: FastAPI) -> None:
    paths = TestClient(app).get("/openapi.json").json()["paths"]

    missing = [
        route.path
        for route in _public_get_routes()
        if "example"
        not in paths[route.path]["get"]["responses"]["200"]
        .get("content", {})
        .get("application/json", {})
    ]
    assert _public_get_routes()
    assert missing == []


def test_every_example_is_exactly_its_response_model() -> None:
    for route in _public_get_routes():
        success = route.responses[200]
        model: type[BaseModel] = success["model"]
        example = success["content"]["application/json"]["example"]
        # A round trip also catches fields the example has but the model lacks.
        assert model.model_validate(example).model_dump(mode="json") == example, route.path
        if isinstance(example["data"], list):
            assert 1 <= len(example["data"]) <= 2, route.path


def test_stored_examples_match_what_the_seeded_api_answers(tmp_path: Path) -> None:
    fresh = capture(f"sqlite:///{tmp_path / 'examples.db'}")

    assert set(examples()) == set(requests())
    assert fresh == examples(), (
        "app/api/openapi_examples.json is stale: run python -m app.cli.examples"
    )


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    document = app.openapi()
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_operation_ids_are_the_route_names_unique_and_tagged(app: FastAPI) -> None:
    operations = _operations(app)
    ids = [operation["operationId"] for _, _, operation in operations]
    names = {
        route.name for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)
    }

    assert len(ids) == len(set(ids))
    assert set(ids) <= names
    assert "list_treatments" in ids and "list_treatment_faqs" in ids
    assert [path for path, _, operation in operations if not operation.get("tags")] == []


def test_errors_are_declared_as_problem_json_only(app: FastAPI) -> None:
    document = app.openapi()
    problem = {"$ref": "#/components/schemas/Problem"}

    assert "HTTPValidationError" not in json.dumps(document)
    for path, _, operation in _operations(app):
        if path.startswith("/fhir/"):
            continue  # OperationOutcome, docs/fhir.md
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (path, status)
                assert response["content"]["application/problem+json"]["schema"] == problem


def test_every_operation_but_the_probes_declares_the_401_of_a_bad_key(app: FastAPI) -> None:
    """The key check (app.http.key_check) answers a bad Authorization on any
    route, public reads included, in the operation's own error format."""
    for path, method, operation in _operations(app):
        if path in ("/healthz", "/metrics"):
            continue
        refused = operation["responses"].get("401")
        assert refused is not None, (method, path)
        media = "application/fhir+json" if path.startswith("/fhir/") else "application/problem+json"
        assert list(refused["content"]) == [media], (method, path)


def test_generic_envelopes_have_clean_schema_names(app: FastAPI) -> None:
    names = set(app.openapi()["components"]["schemas"])

    assert {"TreatmentPage", "FaqPage", "TreatmentDetailEnvelope", "SearchHitPage"} <= names
    assert [name for name in names if not name.isidentifier()] == []


def _probes(path: str) -> list[tuple[str, dict[str, str]]]:
    concrete = path.replace("{slug}", "no-such-slug").replace("{resource_id}", "no-such-id")
    return [
        (concrete, {}),
        (concrete + ("&" if "?" in concrete else "?") + "bogus=1", {}),
        (concrete, {"Accept": "image/png"}),
        (concrete, {"Accept": "application/ld+json"}),
    ]


def test_every_answer_is_declared_with_its_media_type(seeded: Database, client: TestClient) -> None:
    """Unknown slugs, unknown parameters and unacceptable Accept headers get a
    status (and media type) the operation declares; nothing undeclared."""
    undeclared = []
    for path, method, operation in _operations(client.app):  # type: ignore[arg-type]
        if method != "get":
            continue  # writes need bodies and keys; the editorial tests probe them
        for url, headers in _probes(path):
            response = client.get(url, headers=headers)
            declared = operation["responses"].get(str(response.status_code))
            media_type = response.headers.get("content-type", "").split(";")[0]
            if declared is None or media_type not in declared.get("content", {media_type: 1}):
                undeclared.append((url, headers, response.status_code, media_type))
    assert undeclared == [], "\n".join(map(str, undeclared))


def test_apps_with_the_same_routes_share_one_build_but_not_one_document(
    settings: Settings, database: Database
) -> None:
    first = create_app(settings, database).openapi()
    first["info"]["title"] = "changed by its holder"
    second = create_app(settings, database)

    assert second.openapi()["info"]["title"] == "Treatment Content API"
    openapi_module._BUILT.clear()
    rebuilt = create_app(settings, database).openapi()
    assert rebuilt == second.openapi()
    assert rebuilt is not second.openapi()


def test_a_different_route_table_gets_its_own_document(
    settings: Settings, database: Database
) -> None:
    plain = create_app(settings, database)
    extended = create_app(settings, database)

    def sample_extra() -> dict[str, str]:
        return {}

    extended.add_api_route("/v1/sample-extra", sample_extra)

    assert "/v1/sample-extra" not in plain.openapi()["paths"]
    assert "/v1/sample-extra" in extended.openapi()["paths"]
    assert "/v1/sample-extra" not in create_app(settings, database).openapi()["paths"]
