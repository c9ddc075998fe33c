"""Dependencies of the editorial routes: sessions bound to the caller, If-Match,
JSON bodies, and the `?status=draft` preview session for the public routes."""

import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, Header, Query, Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api.auth import BearerDep, authenticate, current_actor
from app.content.kinds import KINDS
from app.deps import get_app_settings, get_database
from app.errors import (
    BadRequest,
    Conflict,
    PayloadTooLarge,
    PreconditionRequired,
    UnsupportedMediaType,
    ValidationFailed,
)
from app.services.api_key import Actor, act_as
from app.services.editorial import writes as editorial

_JSON_TYPE = re.compile(r"^application/([a-z0-9.+-]*\+)?json$")
# RFC 9110 If-Match: a comma-separated list of (weak or strong) quoted entity tags.
_ETAG = r'(?:W/)?"[!#-~\x80-\xff]*"'
ETAG_LIST_PATTERN = rf"^[ \t]*{_ETAG}(?:[ \t]*,[ \t]*{_ETAG})*[ \t]*$"

# Editors' answers are never cached anywhere, and differ per key.
NO_STORE = {"Cache-Control": "no-store", "Vary": "Authorization"}


def write_session(
    request: Request, actor: Annotated[Actor, Depends(current_actor)]
) -> Iterator[Session]:
    """One write transaction, attributed to the caller; committed before the response."""
    try:
        with get_database(request).transaction(write=True) as session:
            yield act_as(session, actor=actor)
    except IntegrityError as exc:
        # A race the explicit checks could not see (two new items, one slug).
        raise Conflict("The change conflicts with existing content (a slug is taken).") from exc


def editor_read_session(
    request: Request, actor: Annotated[Actor, Depends(current_actor)]
) -> Iterator[Session]:
    with get_database(request).transaction() as session:
        yield act_as(session, actor=actor)


# scope="function": commit (or the 409 from a failed commit) happens before
# the response is sent, never after the client was told it worked.
WriteSessionDep = Annotated[Session, Depends(write_session, scope="function")]
EditorReadSessionDep = Annotated[Session, Depends(editor_read_session)]


def if_match(
    value: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="The ETag of the version you are changing (from the last response).",
        ),
    ] = None,
) -> list[str]:
    """The ETags the caller says it is changing; 428 without one."""
    if value is None or not value.strip():
        raise PreconditionRequired(
            "This change needs `If-Match: <ETag>` with the ETag of the version you read, "
            "so that it cannot overwrite someone else's change."
        )
    tags = [tag.strip() for tag in value.split(",") if tag.strip()]
    if "*" in tags:
        raise PreconditionRequired("`If-Match: *` is not accepted; send the item's ETag.")
    if not re.fullmatch(ETAG_LIST_PATTERN, value):
        raise BadRequest(
            'If-Match must be one or more quoted ETags, e.g. `If-Match: "abc-v2"`.',
            errors=[{"field": "If-Match", "message": "not an entity tag"}],
        )
    return tags


IfMatchDep = Annotated[list[str], Depends(if_match)]


def require_json(request: Request) -> None:
    """415 for a body that is not JSON, 413 for one over the configured limit."""
    length = request.headers.get("content-length")
    limit = get_app_settings(request).max_body_bytes
    if length is not None and length.isdigit() and int(length) > limit:
        raise PayloadTooLarge(f"The request body is over the {limit}-byte limit.")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    has_body = (length not in (None, "0")) or "transfer-encoding" in request.headers
    if (has_body or content_type) and not _JSON_TYPE.match(content_type):
        raise UnsupportedMediaType(
            f"Send the body as JSON (Content-Type: application/json), not {content_type!r}."
        )


async def json_object_body(request: Request) -> dict[str, Any]:
    """The body as a JSON object, parsed here so merge-patch `null`s survive."""
    require_json(request)
    raw = await request.body()
    limit = get_app_settings(request).max_body_bytes
    if len(raw) > limit:
        raise PayloadTooLarge(f"The request body is over the {limit}-byte limit.")
    try:
        data = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed(
            f"The request body is not valid JSON: {exc.msg}.",
            errors=[{"field": "body", "message": "malformed JSON"}],
        ) from exc
    if not isinstance(data, dict):
        raise ValidationFailed(
            "The request body must be a JSON object.",
            errors=[{"field": "body", "message": "expected a JSON object"}],
        )
    return data


JsonBodyDep = Annotated[dict[str, Any], Depends(json_object_body)]


def content_session(
    request: Request,
    credentials: BearerDep,
    status: Annotated[
        Literal["draft"] | None,
        Query(
            description="`draft` previews unpublished content and pending changes "
            "(API key required); omit for the public, published view."
        ),
    ] = None,
) -> Iterator[Session]:
    """The public session, or with `?status=draft` and a key, a preview session.

    A preview sees drafts and scheduled items, and the addressed item's
    pending draft is applied in a transaction that is always rolled back,
    so it shows exactly what publishing would serve.
    """
    database = get_database(request)
    if status is None:
        with database.transaction(public=True) as session:
            yield session
        return
    authenticate(request, credentials)
    request.state.response_headers = dict(NO_STORE)
    with database.preview() as session:
        kind, slug = _addressed_item(request)
        if kind is not None:
            editorial.preview_draft(session, kind=kind, slug=slug)
        yield session


def _addressed_item(request: Request) -> tuple[Any, str | None]:
    route = request.scope.get("route")
    parts = getattr(route, "path", "").strip("/").split("/")
    if len(parts) < 2 or parts[0] != "v1" or parts[1] not in KINDS:
        return None, None
    kind = KINDS[parts[1]]
    slug = request.path_params.get("slug")
    if slug is None and not kind.singleton:
        return None, None
    return kind, slug


ContentSessionDep = Annotated[Session, Depends(content_session)]
