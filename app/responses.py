"""Turning validated read models into the contract's envelopes.

All JSON the read API sends goes through here, so representation concerns
(envelopes, sparse fieldsets, links) live in one place.
"""

from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import Request
from pydantic import BaseModel
from starlette.responses import Response

from app.listing import ListParams, check_fields

JSON_MEDIA_TYPE = "application/json"


def dump(schema: type[BaseModel], obj: Any, request: Request) -> dict[str, Any]:
    context = {"base_url": request.app.state.settings.public_base_url}
    model = schema.model_validate(obj, context=context)
    data: dict[str, Any] = model.model_dump(mode="json")
    return data


def _select(item: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if fields is None:
        return item
    return {name: item[name] for name in fields}


def json_response(payload: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code=status_code, media_type=JSON_MEDIA_TYPE)


def detail_response(request: Request, schema: type[BaseModel], obj: Any) -> Response:
    return json_response({"data": dump(schema, obj, request)})


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
) -> Response:
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
        }
    )
