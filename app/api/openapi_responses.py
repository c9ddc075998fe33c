"""What each route declares about its answers: success models with real examples, problems.

The examples were captured from the seeded API by `python -m app.cli.examples`
(app/api/openapi_examples.json), so every success answer in /openapi.json is
one the API really gives. `app.api.openapi` applies the document-wide fixes.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.errors import PROBLEM_MEDIA_TYPE
from app.schemas.common import Problem, envelope_model, page_model

EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")
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


def problem_example(status: int, title: str, detail: str) -> dict[str, Any]:
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


BAD_REQUEST = problem_example(400, "Bad request", "Unknown query parameter(s): bogus.")
NOT_FOUND = problem_example(404, "Not found", "No treatment with slug 'nope'.")
NOT_ACCEPTABLE = problem_example(
    406,
    "Not acceptable",
    "This resource is available as application/json; the Accept header allows none of them.",
)
SERVICE_UNAVAILABLE = problem_example(503, "Service unavailable", "The database is not reachable.")


MISSING_EXAMPLES: set[str] = set()


def require_examples() -> None:
    """Refuse to publish an OpenAPI document with a declared example missing, naming it."""
    if MISSING_EXAMPLES:
        raise LookupError(
            f"{EXAMPLES_FILE.name} has no example {', '.join(sorted(MISSING_EXAMPLES))}: "
            "name the request in the kind's registry entry (examples=) and run "
            "python -m app.cli.examples"
        )


def _success(model: Any, key: str, jsonld: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"model": model}
    example = examples().get(key)
    if example is None:
        # Not raised here: the examples command imports these routes to capture it.
        MISSING_EXAMPLES.add(key)
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
