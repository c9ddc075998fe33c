"""Public read endpoints for administration routes."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api.editorial_deps import ContentSessionDep
from app.api.listing import list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.schemas.administration_route import AdministrationRouteDetail, AdministrationRouteRead
from app.services import administration_route as route_service
from app.services.paging import ListParams

router = APIRouter(
    prefix="/v1/administration-routes",
    tags=["administration-routes"],
    dependencies=[LOCALE_DEPENDENCY],
)

ListParamsDep = Annotated[
    ListParams, Depends(list_params_for(AdministrationRouteRead, route_service.SORTABLE))
]

SnomedQuery = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{6,18}$",
        description="SNOMED CT concept id, e.g. `47625008` (intravenous).",
    ),
]


@router.get("", responses=list_responses(AdministrationRouteRead, "administration_routes"))
def list_administration_routes(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    snomed_code: SnomedQuery = None,
) -> Response:
    """List published administration routes, with each one's parent and sub-routes."""
    items, total = route_service.list_routes(session, params=params, snomed_code=snomed_code)
    return list_response(request, AdministrationRouteRead, items, total, params)


@router.get(
    "/{slug}", responses=detail_responses(AdministrationRouteDetail, "administration_route")
)
def get_administration_route(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One route with the treatments given that way, directly or by a sub-route."""
    item = route_service.get_route(session, slug=slug)
    return detail_response(request, AdministrationRouteDetail, item)
