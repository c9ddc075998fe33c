"""Full-text search across every public kind."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.api.listing import MAX_LIMIT
from app.api.openapi_responses import example_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import list_response
from app.content.lookups import KIND_PATHS_PATTERN, parse_kind_paths
from app.deps import PublicSessionDep
from app.schemas.common import page_model
from app.schemas.search import SEARCH_EXAMPLE, SearchHit
from app.services.delivery import search as search_service
from app.services.paging import ListParams

router = APIRouter(prefix="/v1", tags=["search"], dependencies=[LOCALE_DEPENDENCY])


@router.get("/search", responses=example_responses(page_model(SearchHit), SEARCH_EXAMPLE))
def search(
    request: Request,
    session: PublicSessionDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Words to find; stemmed (English), with domain synonyms "
            "(IV = intravenous, chemo = chemotherapy). Operators are not supported: "
            "punctuation only separates words.",
            examples=["how long immunotherapy"],
        ),
    ],
    kinds: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Comma-separated kinds, e.g. `faqs,treatments`.",
            json_schema_extra={"pattern": KIND_PATHS_PATTERN},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size; at most 100.")] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000, description="Hits to skip.")] = 0,
) -> Response:
    """Ranked full-text search over published content, with highlighted snippets."""
    selected = parse_kind_paths(kinds)
    hits, total = search_service.search(
        session,
        q=q,
        kinds=[kind.name for kind in selected] if selected is not None else None,
        limit=limit,
        offset=offset,
    )
    params = ListParams(limit=limit, offset=offset, sort=None, fields=None)
    return list_response(request, SearchHit, hits, total, params)
