"""OpenAPI response declarations, so `/openapi.json` tells the truth.

Every route declares its success model with a real example (captured from the
seeded API by `python -m app.examples`) and the problems it can answer with.
`install` adds the document-wide fixes FastAPI cannot express per route; clients
generated from the document (docs/clients.md) depend on both.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.schemas.common import Problem, envelope_model, page_model

EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")
PROBLEM_MEDIA_TYPE = "application/problem+json"
JSON_LD_MEDIA_TYPE = "application/ld+json"

PROBLEM_EXAMPLE: dict[str, Any] = {
    "type": "https://treatment-content-api.readthedocs.io/problems/not-found",
    "title": "Not found",
    "status": 404,
    "detail": "No treatment with slug 'nope'.",
    "instance": "/v1/treatments/nope",
}


@lru_cache
def examples() -> dict[str, Any]:
    if not EXAMPLES_FILE.exists():
        return {}
    loaded: dict[str, Any] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return loaded


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    example = {**PROBLEM_EXAMPLE, "status": status, "title": title, "detail": detail}
    example["type"] = (
        PROBLEM_EXAMPLE["type"].rsplit("/", 1)[0] + "/" + title.lower().replace(" ", "-")
    )
    # FastAPI files the model's schema under the route's own media type; `install`
    # moves it here, the only type an error is ever sent as.
    return {
        "model": Problem,
        "description": title,
        "content": {PROBLEM_MEDIA_TYPE: {"example": example}},
    }


def operation_id(route: APIRoute) -> str:
    """The route function's name (`list_treatments`), not FastAPI's default
    `list_treatments_v1_treatments_get`: generated clients name their functions
    and TypeScript `operations` after it. FastAPI warns on duplicates."""
    return route.name


BAD_REQUEST = _problem(400, "Bad request", "Unknown query parameter(s): bogus.")
NOT_FOUND = _problem(404, "Not found", "No treatment with slug 'nope'.")
NOT_ACCEPTABLE = _problem(
    406,
    "Not acceptable",
    "This resource is available as application/json; the Accept header allows none of them.",
)
SERVICE_UNAVAILABLE = _problem(503, "Service unavailable", "The database is not reachable.")


def _success(model: Any, key: str, jsonld: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"model": model}
    example = examples().get(key)
    content: dict[str, Any] = {}
    if example is not None:
        content["application/json"] = {"example": example}
    if jsonld is not None:
        # After application/json, which stays the default and what generators pick.
        content.setdefault("application/json", {})
        content[JSON_LD_MEDIA_TYPE] = {
            "schema": {
                "type": "object",
                "description": f"A schema.org `{jsonld}` as JSON-LD, sent when the "
                "Accept header prefers application/ld+json.",
            }
        }
    if content:
        response["content"] = content
    return response


def list_responses(
    schema: type[BaseModel], key: str, *, jsonld: str | None = None, not_found: bool = False
) -> dict[int | str, dict[str, Any]]:
    """A paged list; `not_found` when the list hangs off a resource that may not exist."""
    responses: dict[int | str, dict[str, Any]] = {
        200: _success(page_model(schema), key, jsonld),
        400: BAD_REQUEST,
    }
    if not_found:
        responses[404] = NOT_FOUND
    responses[406] = NOT_ACCEPTABLE
    return responses


def detail_responses(
    schema: type[BaseModel], key: str, *, jsonld: str | None = None
) -> dict[int | str, dict[str, Any]]:
    return {
        200: _success(envelope_model(schema), key, jsonld),
        400: BAD_REQUEST,
        404: NOT_FOUND,
        406: NOT_ACCEPTABLE,
    }


def example_responses(
    model: Any, example: Any, *, negotiated: bool = True
) -> dict[int | str, dict[str, Any]]:
    """A success model with a hand-written example (feeds whose shape is not a list).

    `negotiated`: the route checks Accept, so it can answer 406.
    """
    responses: dict[int | str, dict[str, Any]] = {
        200: {"model": model, "content": {"application/json": {"example": example}}},
        400: BAD_REQUEST,
    }
    if negotiated:
        responses[406] = NOT_ACCEPTABLE
    return responses


def _problems_only_as_problem_json(responses: dict[str, Any]) -> None:
    for response in responses.values():
        content = response.get("content", {})
        problem = content.get(PROBLEM_MEDIA_TYPE)
        if problem is None:
            continue
        for media_type in [name for name in content if name != PROBLEM_MEDIA_TYPE]:
            schema = content.pop(media_type).get("schema")
            if schema is not None:
                problem.setdefault("schema", schema)


def _drop_fastapi_validation_error(operation: dict[str, Any]) -> None:
    """FastAPI declares a 422 `HTTPValidationError` on every route with parameters,
    but app/errors.py answers invalid parameters with a 400 problem and invalid
    bodies with a 422 problem; neither is that shape."""
    responses = operation["responses"]
    declared = json.dumps(responses.get("422", {}))
    if "#/components/schemas/HTTPValidationError" not in declared:
        return
    if "requestBody" in operation:
        problem = _problem(422, "Validation failed", "The request body is not valid: title")
        content = problem["content"][PROBLEM_MEDIA_TYPE]
        content["schema"] = {"$ref": "#/components/schemas/Problem"}
        responses["422"] = {"description": problem["description"], "content": problem["content"]}
    else:
        del responses["422"]


def _declare_unknown_parameter_problem(responses: dict[str, Any]) -> None:
    """Every /v1 operation rejects unknown query parameters (app.deps), key or not."""
    if "400" not in responses:
        responses["400"] = {
            "description": "Bad request",
            "content": {
                "application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": BAD_REQUEST["content"][PROBLEM_MEDIA_TYPE]["example"],
                }
            },
        }


_EXTRA_SCHEMAS: dict[str, dict[str, Any]] = {}


def register_schemas(schemas: dict[str, dict[str, Any]]) -> None:
    """Components for bodies FastAPI does not see as models (merge patches)."""
    _EXTRA_SCHEMAS.update(schemas)


def tidy(document: dict[str, Any]) -> dict[str, Any]:
    """Fix, in place, what FastAPI's per-route generation gets wrong for this API."""
    for path, path_item in document.get("paths", {}).items():
        for operation in path_item.values():
            _drop_fastapi_validation_error(operation)
            if path.startswith("/v1/"):
                _declare_unknown_parameter_problem(operation["responses"])
            _problems_only_as_problem_json(operation["responses"])
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _EXTRA_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{name}"' not in json.dumps(document):
            schemas.pop(name, None)
    return document


def install(app: FastAPI) -> None:
    """Serve the tidied document from `/openapi.json` and `app.openapi()`."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = tidy(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
