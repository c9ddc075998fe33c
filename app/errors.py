"""The error tree and its one translation into RFC 9457 problems.

Domain code raises these without knowing about HTTP; `install_handlers`
is the only place that maps them to status codes and bodies.
"""

import logging
import uuid
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Route

from app.api.route_walk import leaf_routes
from app.fhir import FHIR_PREFIX
from app.fhir.outcome import outcome_response
from app.schemas.editorial import REVIEW_FIELDS

logger = logging.getLogger("app.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://treatment-content-api.readthedocs.io/problems/"
DATABASE_RETRY_AFTER = "5"


class AppError(Exception):
    """Base of every error a client may see; carries its problem fields."""

    status = 500
    slug = "internal-error"
    title = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}


class BadRequest(AppError):
    """A query parameter or header the API cannot act on."""

    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(AppError):
    """No key, or a key that is unknown or revoked."""

    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    """A valid key whose role is too small for the action."""

    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(AppError):
    """Unknown, or not visible to this caller (drafts look exactly the same)."""

    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(AppError):
    """The path exists but not with this method."""

    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class NotAcceptable(AppError):
    """No representation matches the request's Accept header."""

    status, slug, title = 406, "not-acceptable", "Not acceptable"


class Conflict(AppError):
    """The change clashes with existing content, such as a taken slug."""

    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(AppError):
    """If-Match names a version that is no longer current."""

    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(AppError):
    """The request body exceeds the configured limit."""

    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(AppError):
    """The body is not JSON."""

    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(AppError):
    """The body is JSON but not a valid resource."""

    status, slug, title = 422, "validation-error", "Validation failed"


class PreconditionRequired(AppError):
    """A write that must name the version it changes did not."""

    status, slug, title = 428, "precondition-required", "Precondition required"


class TooManyRequests(AppError):
    """The caller is over its rate limit."""

    status, slug, title = 429, "rate-limited", "Too many requests"


class ServiceUnavailable(AppError):
    """A dependency such as the database is down; retrying later may work."""

    status, slug, title = 503, "service-unavailable", "Service unavailable"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers.setdefault("Retry-After", DATABASE_RETRY_AFTER)


def problem_response(
    request: Request | None,
    *,
    status: int,
    title: str,
    detail: str,
    slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (slug or _slug_for(status)),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path if request is not None else None,
    }
    if errors is not None:
        body["errors"] = errors
    request_id = request.scope.get("state", {}).get("request_id") if request else None
    if request_id:
        body["request_id"] = request_id
    if extra:
        body.update(extra)
    return Response(
        orjson.dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def error_response(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """An RFC 9457 problem, except under /fhir/, where FHIR clients expect an
    OperationOutcome (docs/fhir.md, "Errors")."""
    if request.url.path.startswith(FHIR_PREFIX):
        return outcome_response(status=status, detail=detail, errors=errors, headers=headers)
    return problem_response(
        request,
        status=status,
        title=title,
        detail=detail,
        slug=slug,
        errors=errors,
        headers=headers,
        extra=extra,
    )


def _slug_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")
    except ValueError:
        return "error"


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
