"""Answering with a problem from a pure ASGI layer, before FastAPI runs.

Goes through `app.errors.error_response`, so a 413 or 429 from the edge looks
exactly like one from a route: RFC 9457 with the request id, or an
OperationOutcome under /fhir/.
"""

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from app.errors import AppError, error_response


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
