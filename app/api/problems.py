"""The exception handlers every route shares: one translation of errors to problems.

Validation errors name the field, a 405 lists every method the path serves,
a database outage is a 503 with Retry-After, and anything unexpected is a
500 with an error id in the log, never a stack trace in the body.
"""

import logging
import uuid
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Route

from app.api.route_walk import leaf_routes
from app.errors import AppError, ServiceUnavailable, ValidationFailed
from app.http.problem import error_response
from app.schemas.editorial import REVIEW_FIELDS

logger = logging.getLogger("app.errors")


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "header", "body"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_errors(exc: RequestValidationError) -> tuple[bool, list[dict[str, str]]]:
    """Split FastAPI's errors into (is_body_error, problem `errors` list)."""
    items = []
    in_body = False
    for err in exc.errors():
        loc = err.get("loc", ())
        if loc and loc[0] == "body":
            in_body = True
        message = str(err.get("msg", "invalid"))
        if err.get("type") == "extra_forbidden":
            message = "unknown or read-only field; it cannot be set"
            if tuple(loc[:1]) == ("body",) and len(loc) == 2 and loc[1] in REVIEW_FIELDS:
                message = "set only by a clinical review: POST .../{slug}/review"
        items.append({"field": _location(loc), "message": message})
    return in_body, items


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path.

    Starlette's 405 names only the methods of the first route whose path
    matched, but /v1/treatments has a GET route and a POST route.
    """
    methods: set[str] = set()
    for route in leaf_routes(request.app.router.routes):
        if isinstance(route, Route) and route.path_regex.match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        return error_response(
            request,
            status=exc.status,
            title=exc.title,
            detail=exc.detail,
            slug=exc.slug,
            errors=exc.errors,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        in_body, errors = _validation_errors(exc)
        if in_body:
            fields = ", ".join(e["field"] for e in errors)
            return error_response(
                request,
                status=422,
                title=ValidationFailed.title,
                detail=f"The request body is not valid: {fields}",
                slug=ValidationFailed.slug,
                errors=errors,
            )
        names = ", ".join(e["field"] for e in errors)
        return error_response(
            request,
            status=400,
            title="Invalid parameter",
            detail=f"Invalid value for {names}",
            slug="invalid-parameter",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError | RecursionError):
            # FastAPI's body parser answers 400 when json.loads fails other than
            # with a JSONDecodeError (invalid UTF-8, nesting past the recursion
            # limit); it is the same mistake as any malformed JSON, so the same 422.
            malformed = ValidationFailed(
                "The request body is not valid JSON.",
                errors=[{"field": "body", "message": "malformed JSON"}],
            )
            return await _app_error(request, malformed)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No resource at {request.url.path}"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(
            request,
            status=exc.status_code,
            title=HTTPStatus(exc.status_code).phrase,
            detail=detail,
            headers=headers,
        )

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    async def _database(request: Request, exc: Exception) -> Response:
        """A database that is down or saturated is a 503 worth retrying, not a 500.

        Other DBAPI errors (a constraint, a bad statement) are bugs: logged 500s.
        """
        unreachable = isinstance(exc, OperationalError | InterfaceError | PoolTimeout) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        )
        if not unreachable:
            return await _unexpected(request, exc)
        cause = exc.__cause__ or getattr(exc, "orig", None) or exc
        logger.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.url.path,
            type(cause).__name__,
        )
        unavailable = ServiceUnavailable("The database is not reachable; retry shortly.")
        return await _app_error(request, unavailable)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        error_id = uuid.uuid4().hex
        logger.exception("unhandled error %s on %s %s", error_id, request.method, request.url.path)
        return error_response(
            request,
            status=500,
            title="Internal server error",
            detail=f"An unexpected error occurred; quote error id {error_id} when reporting it.",
            extra={"error_id": error_id},
        )
