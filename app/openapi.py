"""OpenAPI response declarations, so `/openapi.json` tells the truth.

Every route declares its success model with a real example (captured from the
seeded API by `treatments examples`, see README) and the problems it can
answer with.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.schemas.common import DetailEnvelope, ListEnvelope, Problem

EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")

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
    return {
        "model": Problem,
        "description": title,
        "content": {"application/problem+json": {"example": example}},
    }


BAD_REQUEST = _problem(400, "Bad request", "Unknown query parameter(s): bogus.")
NOT_FOUND = _problem(404, "Not found", "No treatment with slug 'nope'.")


def _success(model: Any, key: str) -> dict[str, Any]:
    response: dict[str, Any] = {"model": model}
    example = examples().get(key)
    if example is not None:
        response["content"] = {"application/json": {"example": example}}
    return response


def list_responses(schema: type[BaseModel], key: str) -> dict[int | str, dict[str, Any]]:
    return {200: _success(ListEnvelope[schema], key), 400: BAD_REQUEST}  # type: ignore[valid-type]


def detail_responses(schema: type[BaseModel], key: str) -> dict[int | str, dict[str, Any]]:
    return {200: _success(DetailEnvelope[schema], key), 400: BAD_REQUEST, 404: NOT_FOUND}  # type: ignore[valid-type]
