"""Public read endpoints for doctors."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api import jsonld
from app.api.editorial_deps import ContentSessionDep
from app.api.listing import SlugQuery, TextQuery, UpdatedSinceQuery, list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.content.kinds import KINDS
from app.schemas.doctor import DoctorDetail, DoctorRead
from app.services import doctor as doctor_service
from app.services.paging import ListParams

KIND = KINDS["doctors"]
router = APIRouter(prefix="/v1/doctors", tags=["doctors"], dependencies=[LOCALE_DEPENDENCY])

ListParamsDep = Annotated[ListParams, Depends(list_params_for(DoctorRead, doctor_service.SORTABLE))]

SpecialtyQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=120, description="Specialty, matched case-insensitively."),
]
LanguageQuery = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        description="Language the doctor consults in, e.g. `ml`.",
    ),
]


@router.get("", responses=list_responses(DoctorRead, "doctors"))
def list_doctors(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    specialty: SpecialtyQuery = None,
    clinic: Annotated[SlugQuery, Query(description="Clinic slug.")] = None,
    treatment: Annotated[SlugQuery, Query(description="Treatment slug.")] = None,
    language: LanguageQuery = None,
    q: Annotated[TextQuery, Query(description="Text to match in name or bio.")] = None,
    updated_since: UpdatedSinceQuery = None,
) -> Response:
    """List published doctors, filtered and paged."""
    filters = doctor_service.DoctorFilters(
        specialty=specialty,
        clinic=clinic,
        treatment=treatment,
        language=language,
        q=q,
        updated_since=updated_since,
    )
    items, total = doctor_service.list_doctors(session, params=params, filters=filters)
    return list_response(request, DoctorRead, items, total, params)


@router.get(
    "/{slug}", responses=detail_responses(DoctorDetail, "doctor", jsonld=jsonld.declared_type(KIND))
)
def get_doctor(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One doctor with their clinics, treatments and media."""
    item = doctor_service.get_doctor(session, slug=slug)
    return detail_response(
        request, DoctorDetail, item, jsonld=jsonld.builder_for(KIND, session, item)
    )
