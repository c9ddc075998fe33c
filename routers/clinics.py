"""Public read endpoints for clinics and departments."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api.editorial_deps import ContentSessionDep
from app.api.listing import SlugQuery, TextQuery, UpdatedSinceQuery, list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.schemas.clinic import ClinicDetail, ClinicRead
from app.services import clinic as clinic_service
from app.services.paging import ListParams

router = APIRouter(prefix="/v1/clinics", tags=["clinics"], dependencies=[LOCALE_DEPENDENCY])

ListParamsDep = Annotated[ListParams, Depends(list_params_for(ClinicRead, clinic_service.SORTABLE))]


@router.get("", responses=list_responses(ClinicRead, "clinics"))
def list_clinics(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    treatment: Annotated[SlugQuery, Query(description="Treatment slug.")] = None,
    doctor: Annotated[SlugQuery, Query(description="Doctor slug.")] = None,
    q: Annotated[TextQuery, Query(description="Text to match in name or description.")] = None,
    updated_since: UpdatedSinceQuery = None,
) -> Response:
    """List published clinics and departments, filtered and paged."""
    filters = clinic_service.ClinicFilters(
        treatment=treatment, doctor=doctor, q=q, updated_since=updated_since
    )
    items, total = clinic_service.list_clinics(session, params=params, filters=filters)
    return list_response(request, ClinicRead, items, total, params)


@router.get("/{slug}", responses=detail_responses(ClinicDetail, "clinic"))
def get_clinic(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One clinic with its doctors, treatments and media."""
    item = clinic_service.get_clinic(session, slug=slug)
    return detail_response(request, ClinicDetail, item)
