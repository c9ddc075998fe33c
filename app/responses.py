"""Turning validated read models into the contract's envelopes.

All JSON the read API sends goes through here, so representation concerns
(envelopes, sparse fieldsets, links, content negotiation) live in one place.

Content negotiation: `detail_response` and `list_response` answer JSON, or
JSON-LD when the route passes a `jsonld` builder and the client's Accept
ranks `application/ld+json` highest; an Accept that allows neither is a 406
problem naming the acceptable types. Both carry `Vary: Accept`.
"""

from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import Request
from pydantic import BaseModel
from starlette.responses import Response

from app.errors import NotAcceptable
from app.http.negotiation import JSON, JSON_LD, choose_media_type
from app.jsonld import Builder, Document
from app.listing import ListParams, check_fields

JSON_MEDIA_TYPE = JSON
JSON_LD_MEDIA_TYPE = JSON_LD
_VARY = {"Vary": "Accept"}
# JSON-LD is pasted into <script> blocks: escape what could close the tag.
_SCRIPT_SAFE = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def negotiate(request: Request, supported: tuple[str, ...] = (JSON,)) -> str:
    """The media type to answer with; raises NotAcceptable (406) when none fits."""
    chosen = choose_media_type(request.headers.get("accept", ""), supported)
    if chosen is None:
        raise NotAcceptable(
            f"This resource is available as {', '.join(supported)}; "
            f"the Accept header allows none of them."
        )
    return chosen


def jsonld_response(document: Document) -> Response:
    body = orjson.dumps(document.body)
    for raw, escaped in _SCRIPT_SAFE:
        body = body.replace(raw, escaped)
    keys = " ".join(dict.fromkeys([*document.item_ids, "organization"]))
    headers = {**_VARY, "Surrogate-Key": keys}
    return Response(body, media_type=JSON_LD, headers=headers)


def _wants_jsonld(request: Request, jsonld: Builder | None) -> bool:
    return negotiate(request, (JSON, JSON_LD) if jsonld else (JSON,)) == JSON_LD


def dump(schema: type[BaseModel], obj: Any, request: Request) -> dict[str, Any]:
    context = {"base_url": request.app.state.settings.public_base_url}
    model = schema.model_validate(obj, context=context)
    data: dict[str, Any] = model.model_dump(mode="json")
    return data


def _select(item: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if fields is None:
        return item
    return {name: item[name] for name in fields}


def json_response(
    payload: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(payload), status_code=status_code, media_type=JSON_MEDIA_TYPE, headers=headers
    )


def detail_response(
    request: Request, schema: type[BaseModel], obj: Any, *, jsonld: Builder | None = None
) -> Response:
    if _wants_jsonld(request, jsonld):
        assert jsonld is not None
        return jsonld_response(jsonld(request.app.state.settings.public_base_url))
    return json_response({"data": dump(schema, obj, request)}, headers=_VARY)


def _page_link(request: Request, offset: int | None) -> str | None:
    if offset is None:
        return None
    return str(request.url.include_query_params(offset=offset))


def list_response(
    request: Request,
    schema: type[BaseModel],
    items: Sequence[Any],
    total: int,
    params: ListParams,
    *,
    jsonld: Builder | None = None,
) -> Response:
    if _wants_jsonld(request, jsonld):
        assert jsonld is not None
        return jsonld_response(jsonld(request.app.state.settings.public_base_url))
    fields = check_fields(params.fields, schema)
    data = [_select(dump(schema, item, request), fields) for item in items]
    next_offset = params.offset + params.limit if params.offset + params.limit < total else None
    prev_offset = max(params.offset - params.limit, 0) if params.offset > 0 else None
    return json_response(
        {
            "data": data,
            "meta": {"total": total, "limit": params.limit, "offset": params.offset},
            "links": {
                "self": str(request.url),
                "next": _page_link(request, next_offset),
                "prev": _page_link(request, prev_offset),
            },
        },
        headers=_VARY,
    )
