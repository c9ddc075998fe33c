"""Public read endpoints for FAQs."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api.editorial_deps import ContentSessionDep
from app.api.listing import SlugQuery, TextQuery, UpdatedSinceQuery, list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.schemas.faq import FaqRead
from app.services import faq as faq_service
from app.services.paging import ListParams

router = APIRouter(prefix="/v1/faqs", tags=["faqs"], dependencies=[LOCALE_DEPENDENCY])

ListParamsDep = Annotated[ListParams, Depends(list_params_for(FaqRead, faq_service.SORTABLE))]

TagQuery = Annotated[
    str | None, Query(pattern=r"^[a-z0-9-]{1,80}$", description="Tag, e.g. `follow-up`.")
]


@router.get("", responses=list_responses(FaqRead, "faqs"))
def list_faqs(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    treatment: Annotated[SlugQuery, Query(description="Treatment slug.")] = None,
    type: Annotated[
        SlugQuery, Query(description="Treatment-type slug; includes sub-types.")
    ] = None,
    tag: TagQuery = None,
    q: Annotated[TextQuery, Query(description="Text to match in question or answer.")] = None,
    updated_since: UpdatedSinceQuery = None,
) -> Response:
    """List published FAQs; by default grouped by treatment, in page order."""
    filters = faq_service.FaqFilters(
        treatment=treatment, type=type, tag=tag, q=q, updated_since=updated_since
    )
    items, total = faq_service.list_faqs(session, params=params, filters=filters)
    return list_response(request, FaqRead, items, total, params)


@router.get("/{slug}", responses=detail_responses(FaqRead, "faq"))
def get_faq(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One FAQ with its treatment and review metadata."""
    item = faq_service.get_faq(session, slug=slug)
    return detail_response(request, FaqRead, item)
