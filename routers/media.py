"""Public read endpoints for media: videos and articles."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api.editorial_deps import ContentSessionDep
from app.api.listing import SlugQuery, UpdatedSinceQuery, list_params_for
from app.api.openapi_responses import detail_responses, list_responses
from app.api.reader_locale import LOCALE_DEPENDENCY
from app.api.responses import detail_response, list_response
from app.schemas.media import MediaRead
from app.services import media as media_service
from app.services.paging import ListParams
from models import MediaKind

router = APIRouter(prefix="/v1/media", tags=["media"], dependencies=[LOCALE_DEPENDENCY])

ListParamsDep = Annotated[ListParams, Depends(list_params_for(MediaRead, media_service.SORTABLE))]


@router.get("", responses=list_responses(MediaRead, "media_list"))
def list_media(
    request: Request,
    session: ContentSessionDep,
    params: ListParamsDep,
    kind: Annotated[MediaKind | None, Query(description="`video` or `article`.")] = None,
    treatment: Annotated[SlugQuery, Query(description="Treatment slug.")] = None,
    doctor: Annotated[SlugQuery, Query(description="Doctor slug.")] = None,
    clinic: Annotated[SlugQuery, Query(description="Clinic slug.")] = None,
    updated_since: UpdatedSinceQuery = None,
) -> Response:
    """List published videos and articles, filtered and paged."""
    filters = media_service.MediaFilters(
        kind=kind, treatment=treatment, doctor=doctor, clinic=clinic, updated_since=updated_since
    )
    items, total = media_service.list_media(session, params=params, filters=filters)
    return list_response(request, MediaRead, items, total, params)


@router.get("/{slug}", responses=detail_responses(MediaRead, "media"))
def get_media(request: Request, session: ContentSessionDep, slug: str) -> Response:
    """One video or article with the treatments, doctors and clinics it features."""
    item = media_service.get_media(session, slug=slug)
    return detail_response(request, MediaRead, item)
