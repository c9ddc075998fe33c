"""The delta feed for offline clients."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.api.openapi_responses import example_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import feed_response
from app.content.lookups import KIND_PATHS_PATTERN, parse_kind_paths
from app.deps import PublicSessionDep
from app.schemas.sync import SYNC_EXAMPLE, SyncEnvelope
from app.services.delivery import sync as sync_service

router = APIRouter(prefix="/v1", tags=["sync"], dependencies=[LOCALE_DEPENDENCY])

MAX_SYNC_LIMIT = 500


@router.get("/sync", responses=example_responses(SyncEnvelope, SYNC_EXAMPLE, negotiated=False))
def sync_feed(
    request: Request,
    session: PublicSessionDep,
    cursor: Annotated[
        str | None,
        Query(
            max_length=200,
            description="`meta.next_cursor` from the previous call; omit for a full download.",
        ),
    ] = None,
    kinds: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Comma-separated kinds, e.g. `faqs,treatments`; keep it the same "
            "for every call with cursors from one another.",
            json_schema_extra={"pattern": KIND_PATHS_PATTERN},
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_SYNC_LIMIT, description="Items per page; at most 500.")
    ] = 100,
) -> Response:
    """Everything published (no cursor), then only what changed since the cursor."""
    selected = parse_kind_paths(kinds)
    after = sync_service.decode_cursor(cursor, kinds=selected)
    page = sync_service.read_page(session, after=after, kinds=selected, limit=limit)
    next_cursor = sync_service.encode_cursor(page.next_seq, kinds=selected)
    return feed_response(request, page.entries, next_cursor, page.has_more)
