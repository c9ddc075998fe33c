"""Public read endpoints for treatments."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api import jsonld
from app.api.editorial_deps import ContentSessionDep
from app.api.listing import SlugQuery, UpdatedSinceQuery, list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.content.kinds import KINDS
from app.schemas.faq import FaqRead
from app.schemas.treatment import TreatmentDetail, TreatmentRead
from app.services import treatment as treatment_service
from app.services.paging import ListParams

KIND = KINDS["treatments"]
router = APIRouter(prefix="/v1/treatments", tags=["treatments"], dependencies=[LOCALE_DEPENDENCY])

ListParamsDep = Annotated[
    ListParams, Depends(list_params_for(TreatmentRead, treatment_service.SORTABLE))
]
ConditionCodeQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$",
        description="A code of the condition in any system: ICD-10 or ICD-10-CM (`C90.0`), "
        "SNOMED CT (`109989006`).",
    ),
]
FaqParams = Annotated[ListParams, Depends(list_params_for(FaqRead, treatment_service.FAQ_SORTABLE))]


@router.get("", responses=list_responses(TreatmentRead, "treatments"))
def list_treatments(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    type: Annotated[
        SlugQuery, Query(description="Treatment-type slug; includes sub-types.")
    ] = None,
    route: Annotated[
        SlugQuery, Query(description="Administration-route slug; includes sub-routes.")
    ] = None,
    condition: Annotated[
        SlugQuery, Query(description="Condition slug, e.g. `multiple-myeloma`.")
    ] = None,
    condition_code: ConditionCodeQuery = None,
    doctor: Annotated[SlugQuery, Query(description="Doctor slug.")] = None,
    clinic: Annotated[SlugQuery, Query(description="Clinic slug.")] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Text to match.")
    ] = None,
    updated_since: UpdatedSinceQuery = None,
) -> Response:
    """List published treatments, filtered and paged."""
    filters = treatment_service.TreatmentFilters(
        type=type,
        route=route,
        condition=condition,
        condition_code=condition_code,
        doctor=doctor,
        clinic=clinic,
        q=q,
        updated_since=updated_since,
    )
    items, total = treatment_service.list_treatments(session, params=params, filters=filters)
    return list_response(request, TreatmentRead, items, total, params)


@router.get(
    "/{slug}",
    responses=detail_responses(TreatmentDetail, "treatment", jsonld=jsonld.declared_type(KIND)),
)
def get_treatment(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One treatment with its routes, FAQs, doctors, clinics and media resolved.

    `Accept: application/ld+json` gives schema.org JSON-LD (MedicalWebPage).
    """
    treatment = treatment_service.get_treatment(session, slug=slug)
    page = jsonld.builder_for(KIND, session, treatment)
    return detail_response(request, TreatmentDetail, treatment, jsonld=page)


@router.get(
    "/{slug}/faqs",
    responses=list_responses(FaqRead, "treatment_faqs", jsonld="FAQPage", not_found=True),
)
def list_treatment_faqs(
    request: Request, session: ContentSessionDep, params: FaqParams, slug: str
) -> Response:
    """A treatment's FAQs in page order; `Accept: application/ld+json` gives an FAQPage."""
    faqs, total = treatment_service.list_treatment_faqs(session, slug=slug, params=params)
    page = partial(jsonld.faq_page, session, slug, faqs)
    return list_response(request, FaqRead, faqs, total, params, jsonld=page)
