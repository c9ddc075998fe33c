"""Turning validated read models into the contract's envelopes.

All JSON the read API sends goes through here, so representation concerns
(envelopes, sparse fieldsets, links, the served locale, content
negotiation) live in one place. Items are localized here (app/api/translation_overlay.py):
every translation a response needs is loaded in one query before the first
item is dumped.

Content negotiation: `detail_response` and `list_response` answer JSON, or
JSON-LD when the route passes a `jsonld` builder and the client's Accept
ranks `application/ld+json` highest; an Accept that allows neither is a 406
problem naming the acceptable types. Both carry `Vary: Accept, Accept-Language`.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from starlette.responses import Response

from app.api.jsonld import Builder, Document
from app.api.links import of_url
from app.api.reader_locale import preference_for
from app.api.translation_overlay import Localizer
from app.errors import NotAcceptable
from app.http.json_response import json_response
from app.http.negotiation import JSON, JSON_LD, choose_media_type
from app.services.paging import ListParams, check_fields

_VARY = {"Vary": "Accept"}


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
    keys = " ".join(dict.fromkeys([*document.item_ids, "organization"]))
    headers = {**_VARY, "Surrogate-Key": keys}
    # JSON-LD is pasted into <script> blocks: escape what could close the tag.
    return json_response(document.body, headers=headers, media_type=JSON_LD, script_safe=True)


def _wants_jsonld(request: Request, jsonld: Builder | None) -> bool:
    return negotiate(request, (JSON, JSON_LD) if jsonld else (JSON,)) == JSON_LD


def localizer_for(request: Request, items: Sequence[Any]) -> Localizer:
    """Translations for `items` and everything loaded with them, in one query."""
    return Localizer.load(preference_for(request), items)


def locale_headers(localizer: Localizer) -> dict[str, str]:
    return {"Content-Language": localizer.content_language(), "Vary": "Accept, Accept-Language"}


def dump(
    schema: type[BaseModel], obj: Any, request: Request, localizer: Localizer | None = None
) -> dict[str, Any]:
    localizer = localizer or localizer_for(request, [obj])
    context = {"base_url": request.app.state.settings.public_base_url}
    model = schema.model_validate(localizer.top(obj), context=context)
    data: dict[str, Any] = model.model_dump(mode="json")
    return data


def _select(item: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if fields is None:
        return item
    return {name: item[name] for name in fields}


def detail_response(
    request: Request, schema: type[BaseModel], obj: Any, *, jsonld: Builder | None = None
) -> Response:
    if _wants_jsonld(request, jsonld):
        assert jsonld is not None
        return jsonld_response(jsonld(request.app.state.settings.public_base_url))
    localizer = localizer_for(request, [obj])
    data = dump(schema, obj, request, localizer)
    return json_response({"data": data}, headers=locale_headers(localizer))


def _page_link(request: Request, offset: int | None) -> str | None:
    if offset is None:
        return None
    return of_url(request, request.url.include_query_params(offset=offset))


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
    fields = check_fields(params.fields, schema=schema)
    localizer = localizer_for(request, items)
    data = [_select(dump(schema, item, request, localizer), fields) for item in items]
    next_offset = params.offset + params.limit if params.offset + params.limit < total else None
    prev_offset = max(params.offset - params.limit, 0) if params.offset > 0 else None
    return json_response(
        {
            "data": data,
            "meta": {"total": total, "limit": params.limit, "offset": params.offset},
            "links": {
                "self": of_url(request, request.url),
                "next": _page_link(request, next_offset),
                "prev": _page_link(request, prev_offset),
            },
        },
        headers=locale_headers(localizer),
    )


def feed_response(
    request: Request, entries: Sequence[Any], next_cursor: str, has_more: bool
) -> Response:
    """The sync feed: upserts in their kind's list representation, plus tombstones.

    `entries` are app.services.delivery.sync.FeedEntry: `item` None means a tombstone.
    Every entry's `kind` is the resource kind (as in tombstones); a resource's
    own `kind` field (media: video or article) is sent as `<kind>_kind`
    (`media_kind`) so the two never clash.
    """
    visible = [entry.item for entry in entries if entry.item is not None]
    localizer = localizer_for(request, visible)
    upserted, deleted = [], []
    for entry in entries:
        if entry.item is None:
            deleted.append({"kind": entry.kind.name, "id": entry.item_id})
        else:
            item = dump(entry.kind.list_representation, entry.item, request, localizer)
            if "kind" in item:
                item[f"{entry.kind.name}_kind"] = item.pop("kind")
            upserted.append({"kind": entry.kind.name, **item})
    return json_response(
        {
            "data": {"upserted": upserted, "deleted": deleted},
            "meta": {"next_cursor": next_cursor, "has_more": has_more},
        },
        headers=locale_headers(localizer),
    )
