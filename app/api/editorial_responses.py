"""The editorial representation of items, revisions and audit events.

Editorial responses carry a version-based strong `ETag` (the value PATCH and
the workflow actions take in `If-Match`) and `Cache-Control: no-store`: they
show unpublished content and must never sit in a shared cache.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.api.editorial_deps import NO_STORE
from app.api.responses import list_response
from app.content.entry import Kind
from app.content.input_documents import working_document
from app.errors import PROBLEM_MEDIA_TYPE
from app.http.json_response import json_response
from app.schemas.common import Problem
from app.services.editorial.writes import etag, is_live
from app.services.paging import ListParams
from app.text import readability
from models.base import EditorialMixin, review_overdue, utcnow


def _overdue(kind: Kind, document: dict[str, Any]) -> bool | None:
    if not kind.reviewed:
        return None
    due = document.get("next_review_due")
    return review_overdue(date.fromisoformat(due) if due else None)


def item_data(
    session: Session, request: Request, kind: Kind, item: EditorialMixin
) -> dict[str, Any]:
    document = working_document(session, kind, item)
    target = request.app.state.settings.readability_target_grade
    now = utcnow()
    data: dict[str, Any] = {
        **document,
        "id": item.id,
        "status": str(item.status),
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "deleted_at": item.deleted_at,
        "publish_at": item.publish_at,
        "unpublish_at": item.unpublish_at,
        "scheduled": item.publish_at is not None and item.publish_at > now,
        "has_draft": item.draft is not None,
        "live": is_live(item, now=now),
        "review_overdue": _overdue(kind, document),
        "readability": item.readability or {},
        "readability_grade": item.readability_grade,
        "warnings": readability.warnings(item.readability, target),
    }
    if kind.reviewed:
        data["schedule_cancelled"] = getattr(item, "schedule_cancelled", None)
    return data


def _json(payload: Any, status_code: int, headers: dict[str, str]) -> Response:
    return json_response(to_jsonable_python(payload), status_code, headers)


def item_response(
    session: Session,
    request: Request,
    kind: Kind,
    item: EditorialMixin,
    *,
    status_code: int = 200,
) -> Response:
    headers = {**NO_STORE, "ETag": etag(item)}
    if status_code == 201:
        headers["Location"] = f"/v1/editorial/{kind.path}/{item.slug}"
    return _json({"data": item_data(session, request, kind, item)}, status_code, headers)


def detail(payload: Any, *, item: EditorialMixin | None = None) -> Response:
    headers = dict(NO_STORE)
    if item is not None:
        headers["ETag"] = etag(item)
    return _json({"data": payload}, 200, headers)


def model_list(
    request: Request,
    schema: type[BaseModel],
    items: Sequence[Any],
    total: int,
    params: ListParams,
) -> Response:
    response = list_response(request, schema, items, total, params)
    response.headers.update(NO_STORE)
    return response


_PROBLEMS = {
    401: ("Authentication required", "This needs an API key: send `Authorization: Bearer <key>`."),
    403: ("Forbidden", "This needs the publisher role; the key tca_abc123… is editor."),
    404: ("Not found", "No treatment with slug 'nope'."),
    409: ("Conflict", "A treatment with slug 'immunotherapy' already exists."),
    412: ("Precondition failed", "The treatment has changed since you read it."),
    413: ("Payload too large", "The request body is over the 1048576-byte limit."),
    415: ("Unsupported media type", "Send the body as JSON (Content-Type: application/json)."),
    422: ("Validation failed", "The request body is not valid: version"),
    428: ("Precondition required", "This change needs `If-Match: <ETag>`."),
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problems an editorial route can answer with."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        title, detail = _PROBLEMS[code]
        example = {
            "type": f"https://treatment-content-api.readthedocs.io/problems/{code}",
            "title": title,
            "status": code,
            "detail": detail,
        }
        out[code] = {
            "model": Problem,
            "description": title,
            "content": {PROBLEM_MEDIA_TYPE: {"example": example}},
        }
    return out


READ_PROBLEMS = (401, 403, 404)
WRITE_PROBLEMS = (401, 403, 404, 409, 412, 413, 415, 422, 428)
