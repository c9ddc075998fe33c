"""The hospital's public profile."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.api.editorial_deps import ContentSessionDep
from app.api.openapi_responses import detail_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response
from app.schemas.organization import OrganizationRead
from app.services import organization as organization_service

router = APIRouter(
    prefix="/v1/organization", tags=["organization"], dependencies=[LOCALE_DEPENDENCY]
)


@router.get("", responses=detail_responses(OrganizationRead, "organization"))
def get_organization(request: Request, session: ContentSessionDep) -> Response:
    """The hospital's profile: the publisher of all content."""
    item = organization_service.get_organization(session)
    return detail_response(request, OrganizationRead, item)
