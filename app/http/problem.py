"""Problems as responses: RFC 9457 bodies, or OperationOutcomes under /fhir/.

One renderer for the route handlers (`app.api.problems`) and for the pure
ASGI layers that answer before FastAPI runs (`send_problem`), so a 413 or
429 from the edge looks exactly like one from a route, request id included.
"""

from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, AppError
from app.fhir import FHIR_MEDIA_TYPE, FHIR_PREFIX
from app.fhir.outcome import operation_outcome
from app.http.json_response import json_response


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
    return json_response(body, status, headers, media_type=PROBLEM_MEDIA_TYPE)


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
        outcome = operation_outcome(status, detail, errors)
        return json_response(outcome, status, headers, media_type=FHIR_MEDIA_TYPE)
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


async def send_problem(scope: Scope, receive: Receive, send: Send, error: AppError) -> None:
    response = error_response(
        Request(scope),
        status=error.status,
        title=error.title,
        detail=error.detail,
        slug=error.slug,
        headers={"Cache-Control": "no-store", **error.headers},
    )
    await response(scope, receive, send)
