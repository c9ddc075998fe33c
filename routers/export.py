"""The whole content as one download, for backups and moving between deployments."""

from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from app.api.auth import AdminDep
from app.api.editorial_responses import problems
from app.db import Database
from app.deps import get_database
from app.services.transfer.export import export_lines

router = APIRouter(tags=["export"])

MEDIA_TYPE = "application/x-ndjson"
FILENAME = "treatment-content-export.jsonl"


def _stream(database: Database) -> Iterator[bytes]:
    # Its own read transaction: the body is produced after the handler returns,
    # and one transaction keeps every batch in the same snapshot.
    with database.transaction() as session:
        yield from export_lines(session)


@router.get(
    "/v1/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "JSON Lines: a manifest line, then one line per item "
            "(docs/export-format.md).",
            "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
        },
        **problems(401, 403),
    },
    summary="Export all content as JSON Lines",
)
def export_content(request: Request, actor: AdminDep) -> StreamingResponse:
    """Admin role. The same bytes as `treatments export`, streamed."""
    return StreamingResponse(
        _stream(get_database(request)),
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{FILENAME}"',
            "Cache-Control": "no-store",
        },
    )
