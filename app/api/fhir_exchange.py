"""Content negotiation, ETags and conditional reads for the FHIR routes."""

import hashlib
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from starlette.responses import JSONResponse, Response

from app.errors import NotAcceptable
from app.fhir import FHIR_MEDIA_TYPE
from app.fhir.search_params import (
    DEFAULT_COUNT,
    LAST_UPDATED_PATTERN,
    MAX_COUNT,
    SearchParams,
    parse_date_filter,
    split_ids,
)
from app.http.etag import match_set, none_match
from app.http.json_response import json_body
from app.http.negotiation import weighted

ACCEPTABLE = frozenset(
    {FHIR_MEDIA_TYPE, "application/json", "application/json+fhir", "application/*", "*/*"}
)


class FhirJSONResponse(JSONResponse):
    """The routes' declared response class, so the OpenAPI document lists
    application/fhir+json (what `fhir_response` sends), not application/json."""

    media_type = FHIR_MEDIA_TYPE


def _accepted_types(header: str) -> list[str]:
    """The media ranges of an Accept header, less those refused with q=0."""
    return [name.lower() for name, q in weighted(header) if q > 0 and name]


def require_fhir_json(request: Request) -> None:
    """JSON is the one format served; anything else a client insists on is a 406."""
    header = request.headers.get("accept", "").strip()
    if not header:
        return
    if not ACCEPTABLE.intersection(_accepted_types(header)):
        raise NotAcceptable(
            f"This FHIR endpoint serves {FHIR_MEDIA_TYPE} (or application/json) only; "
            f"Accept was {header!r}."
        )


def _matches(request: Request, etag: str) -> bool:
    """If-None-Match with the weak comparison every other route uses (app.http.etag)."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    tag = etag.encode()
    return none_match(header.encode("latin-1"), tag, match_set(tag))


def fhir_response(request: Request, body: dict[str, Any], *, etag: str | None = None) -> Response:
    """200 with the resource, or 304 when the client's copy is current.

    Reads pass FHIR's weak ETag (`W/"<versionId>"`); other bodies get a
    strong ETag from a hash of the bytes sent.
    """
    content = json_body(body)
    etag = etag or '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": request.app.state.settings.cache_control_public,
    }
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=FHIR_MEDIA_TYPE, headers=headers)


def version_etag(resource: dict[str, Any]) -> str:
    return f'W/"{resource["meta"]["versionId"]}"'


def search_params(
    ids: Annotated[
        str | None,
        Query(alias="_id", max_length=2000, description="Resource id(s), comma-separated."),
    ] = None,
    last_updated: Annotated[
        list[str] | None,
        Query(
            alias="_lastUpdated",
            description="`[eq|ne|gt|lt|ge|le]` + an RFC 3339 date or time; repeat to AND.",
            examples=["ge2026-01-01"],
            json_schema_extra={"items": {"type": "string", "pattern": LAST_UPDATED_PATTERN}},
        ),
    ] = None,
    count: Annotated[
        int,
        Query(
            alias="_count",
            ge=0,
            description=f"Page size (default {DEFAULT_COUNT}); above {MAX_COUNT} is served "
            f"as {MAX_COUNT}, and the self link says so. 0 returns only the total.",
        ),
    ] = DEFAULT_COUNT,
    offset: Annotated[
        int, Query(alias="_offset", ge=0, le=10_000_000, description="Matches to skip.")
    ] = 0,
) -> SearchParams:
    return SearchParams(
        ids=split_ids(ids),
        last_updated=tuple(parse_date_filter(raw) for raw in last_updated or ()),
        count=min(count, MAX_COUNT),
        offset=offset,
    )


SearchParamsDep = Annotated[SearchParams, Depends(search_params)]
