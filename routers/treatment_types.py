"""Public read endpoints for the treatment-type taxonomy."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api.editorial_deps import ContentSessionDep
from app.api.listing import SlugQuery, list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.schemas.treatment_type import TreatmentTypeDetail, TreatmentTypeRead
from app.services import treatment_type as treatment_type_service
from app.services.paging import ListParams

router = APIRouter(
    prefix="/v1/treatment-types", tags=["treatment-types"], dependencies=[LOCALE_DEPENDENCY]
)

ListParamsDep = Annotated[
    ListParams, Depends(list_params_for(TreatmentTypeRead, treatment_type_service.SORTABLE))
]


@router.get("", responses=list_responses(TreatmentTypeRead, "treatment_types"))
def list_treatment_types(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    parent: Annotated[SlugQuery, Query(description="Parent type slug; direct sub-types.")] = None,
) -> Response:
    """List published treatment types, with each one's parent and sub-types."""
    items, total = treatment_type_service.list_treatment_types(
        session, params=params, parent=parent
    )
    return list_response(request, TreatmentTypeRead, items, total, params)


@router.get("/{slug}", responses=detail_responses(TreatmentTypeDetail, "treatment_type"))
def get_treatment_type(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One treatment type with its treatments, including those of its sub-types."""
    item = treatment_type_service.get_treatment_type(session, slug=slug)
    return detail_response(request, TreatmentTypeDetail, item)
