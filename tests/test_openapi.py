"""The OpenAPI document: 3.1, browsable, and every success answer illustrated
by a real example that matches its declared model."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.examples import REQUESTS, capture
from app.openapi import examples
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

    assert set(examples()) == set(REQUESTS)
    assert fresh == examples(), "app/openapi_examples.json is stale: run python -m app.examples"
