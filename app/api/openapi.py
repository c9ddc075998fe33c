"""The OpenAPI document as served, so `/openapi.json` tells the truth.

Routes declare their answers with `app.api.openapi_responses`; `install`
adds the document-wide fixes FastAPI cannot express per route; clients
generated from the document (docs/clients.md) depend on both.
"""

import json
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.api.auth import route_role
from app.api.editorial_deps import ETAG_LIST_PATTERN
from app.api.openapi_responses import (
    BAD_REQUEST,
    PROBLEM_EXAMPLE,
    problem_example,
    require_examples,
)
from app.api.route_walk import leaf_routes
from app.errors import PROBLEM_MEDIA_TYPE
from app.http.rate_limit import EXEMPT_PATHS as RATE_LIMIT_EXEMPT


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
        problem = problem_example(422, "Validation failed", "The request body is not valid: title")
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
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": BAD_REQUEST["content"][PROBLEM_MEDIA_TYPE]["example"],
                }
            },
        }


_EXTRA_SCHEMAS: dict[str, dict[str, Any]] = {}


def register_schemas(schemas: dict[str, dict[str, Any]]) -> None:
    """Components for bodies FastAPI does not see as models (merge patches)."""
    _EXTRA_SCHEMAS.update(schemas)


def _require_if_match(operation: dict[str, Any]) -> None:
    """Every write checks If-Match before anything else (428 without one), so the
    header is required, and its syntax (RFC 9110 entity tags) is the one enforced."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
            parameter["required"] = True
            parameter["schema"] = {
                "type": "string",
                "pattern": ETAG_LIST_PATTERN,
                "description": "One or more entity tags; `*` is refused.",
            }


NO_NUL_PATTERN = "^[^\\u0000]*$"


def _no_nul_in_parameters(operation: dict[str, Any]) -> None:
    """`app.deps.reject_nul_bytes` refuses a NUL in any query or path parameter;
    string parameters without a pattern of their own say so."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] not in ("query", "path"):
            continue
        schema = parameter["schema"]
        if "pattern" in schema:  # set beside an anyOf (json_schema_extra)
            continue
        for branch in [schema, *schema.get("anyOf", [])]:
            if branch.get("type") == "array":
                branch = branch.get("items", {})
            if branch.get("type") == "string" and "pattern" not in branch:
                branch["pattern"] = NO_NUL_PATTERN


def _optional_key(operation: dict[str, Any]) -> None:
    """Public reads take a key only for `?status=draft` previews: anonymous calls
    are the normal case, and a key that is sent but unknown is a 401."""
    operation["security"] = [{}, *operation["security"]]
    operation["responses"].setdefault(
        "401",
        {
            "description": "Authentication required",
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": {
                        **PROBLEM_EXAMPLE,
                        "type": PROBLEM_EXAMPLE["type"].replace("not-found", "unauthorized"),
                        "title": "Authentication required",
                        "status": 401,
                        "detail": "The API key is unknown or has been revoked.",
                    },
                }
            },
        },
    )


def _allow_sparse_items(document: dict[str, Any], operation: dict[str, Any]) -> None:
    """With `fields`, list items carry only the members asked for; the page schema
    says so with an item that is either whole or `<Item>Fields` (nothing required)."""
    if not any(p["name"] == "fields" for p in operation.get("parameters", [])):
        return
    schemas = document["components"]["schemas"]
    ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
    page_ref = ok.get("schema", {}).get("$ref", "")
    page = schemas.get(page_ref.rsplit("/", 1)[-1], {})
    items = page.get("properties", {}).get("data", {}).get("items", {})
    item_ref = items.get("$ref")
    if item_ref is None:
        return
    name = item_ref.rsplit("/", 1)[-1]
    sparse = {key: value for key, value in schemas[name].items() if key != "required"}
    sparse["title"] = f"{name}Fields"
    sparse["description"] = f"A {name} cut down to the members named in `fields`."
    schemas[f"{name}Fields"] = sparse
    page["properties"]["data"]["items"] = {
        "anyOf": [{"$ref": item_ref}, {"$ref": f"#/components/schemas/{name}Fields"}]
    }


def _declare_rate_limit(operation: dict[str, Any]) -> None:
    """Every request but the health and metrics probes counts against a rate limit
    (app.http.rate_limit); over it, a 429 in the operation's own error format."""
    responses = operation["responses"]
    if "429" in responses:
        return
    like = responses.get("400", {}).get("content") or {
        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    responses["429"] = {
        "description": "Too many requests; retry after `Retry-After` seconds",
        "headers": {
            "Retry-After": {
                "description": "Seconds until the limit resets.",
                "schema": {"type": "integer", "minimum": 0},
            }
        },
        "content": {
            media_type: {key: value for key, value in body.items() if key == "schema"}
            for media_type, body in like.items()
        },
    }


def _declare_key_check(operation: dict[str, Any]) -> None:
    """Any operation the rate limiter sees also passes the key check
    (app.http.key_check): an `Authorization` header that is not an active key
    is a 401 in the operation's own error format, even where no key is needed."""
    responses = operation["responses"]
    if "401" in responses:
        return
    like = responses.get("400", {}).get("content") or {
        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    responses["401"] = {
        "description": "The `Authorization` header is not an active API key "
        "(malformed, unknown or revoked); public reads need no header at all",
        "headers": {
            "WWW-Authenticate": {
                "description": 'The challenge: `Bearer realm="editorial"`.',
                "schema": {"type": "string"},
            }
        },
        "content": {
            media_type: {key: value for key, value in body.items() if key == "schema"}
            for media_type, body in like.items()
        },
    }


def tidy(
    document: dict[str, Any], protected: frozenset[tuple[str, str]] = frozenset()
) -> dict[str, Any]:
    """Fix, in place, what FastAPI's per-route generation gets wrong for this API.

    `protected`: (path, method) of the operations that need a key with a role.
    """
    for path, path_item in document.get("paths", {}).items():
        for method, operation in path_item.items():
            _drop_fastapi_validation_error(operation)
            if path.startswith("/v1/"):
                _declare_unknown_parameter_problem(operation["responses"])
            _problems_only_as_problem_json(operation["responses"])
            _require_if_match(operation)
            _no_nul_in_parameters(operation)
            if "security" in operation and (path, method.upper()) not in protected:
                _optional_key(operation)
            _allow_sparse_items(document, operation)
            if path not in RATE_LIMIT_EXEMPT:
                _declare_key_check(operation)
                _declare_rate_limit(operation)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _EXTRA_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{name}"' not in json.dumps(document):
            schemas.pop(name, None)
    return document


# Documents already built in this process, as JSON, by `_fingerprint`.
_BUILT: dict[tuple[Any, ...], bytes] = {}


def _fingerprint(app: FastAPI) -> tuple[Any, ...]:
    """What the document is made of: the app's own fields and its API routes.

    Routes come from the module-level routers, so the same endpoint on the
    same path and methods always documents the same way; settings change the
    document only by changing which routes exist (docs off, say).
    """
    routes = tuple(
        (route.path, frozenset(route.methods or ()), route.endpoint, route.include_in_schema)
        for route in leaf_routes(app.routes)
        if isinstance(route, APIRoute)
    )
    fields = (
        app.title,
        app.version,
        app.summary,
        app.description,
        app.openapi_version,
        app.separate_input_output_schemas,
    )
    extras = json.dumps([app.servers, app.openapi_tags, app.root_path], sort_keys=True)
    return (fields, extras, routes)


def install(app: FastAPI) -> None:
    """Serve the tidied document from `/openapi.json` and `app.openapi()`.

    Building it takes about 0.7 s of CPU (FastAPI walks every model of 135
    operations, then `tidy`), and every app built in one process with the
    same routes gets the same document: the test suite builds hundreds of
    apps, the CLI and a worker one. So the JSON is kept per fingerprint and
    each app gets its own parsed copy, free to change without touching
    another's.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            require_examples()
            key = _fingerprint(app)
            built = _BUILT.get(key)
            if built is None:
                protected = frozenset(
                    (route.path, method)
                    for route in leaf_routes(app.routes)
                    if isinstance(route, APIRoute) and route_role(route) is not None
                    for method in route.methods or ()
                )
                built = _BUILT[key] = orjson.dumps(tidy(build(), protected))
            app.openapi_schema = orjson.loads(built)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
