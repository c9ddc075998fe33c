"""Public read endpoints for conditions (cancer types and other diseases)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import selectinload
from starlette.responses import Response

from app.api import jsonld
from app.api.editorial_deps import ContentSessionDep
from app.api.listing import TextQuery, UpdatedSinceQuery, list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.content.kinds import KINDS
from app.schemas.condition import ConditionDetail, ConditionRead
from app.services import kind_reads
from app.services.paging import ListParams
from models.condition import Condition

KIND = KINDS["conditions"]
DETAIL_OPTIONS = (
    *KIND.list_options,
    selectinload(Condition.doctors),
    selectinload(Condition.clinics),
)
router = APIRouter(prefix="/v1/conditions", tags=["conditions"], dependencies=[LOCALE_DEPENDENCY])
ListParamsDep = Annotated[
    ListParams, Depends(list_params_for(ConditionRead, kind_reads.sortable(KIND)))
]


@router.get("", responses=list_responses(ConditionRead, "conditions"))
def list_conditions(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    q: Annotated[TextQuery, Query(description="Text to match in name or summary.")] = None,
    updated_since: UpdatedSinceQuery = None,
) -> Response:
    """List published conditions, filtered and paged."""
    items, total = kind_reads.list_items(
        session, kind=KIND, params=params, q=q, updated_since=updated_since
    )
    return list_response(request, ConditionRead, items, total, params)


@router.get(
    "/{slug}",
    responses=detail_responses(ConditionDetail, "condition", jsonld=jsonld.declared_type(KIND)),
)
def get_condition(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One condition with its codes, treatments, doctors and clinics.

    `Accept: application/ld+json` gives schema.org JSON-LD (MedicalCondition).
    """
    item = kind_reads.get_item(session, kind=KIND, slug=slug, options=DETAIL_OPTIONS)
    return detail_response(
        request, ConditionDetail, item, jsonld=jsonld.builder_for(KIND, session, item)
    )
