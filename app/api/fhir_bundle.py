"""Searchset Bundles with offset paging.

Links are absolute, under PUBLIC_BASE_URL (app/api/links.py), and built from the
parameters actually applied (the clamped `_count`, the `_offset`), so
following `next` is all a client does.
"""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from app.api.links import public_base
from app.fhir import FHIR_BASE_PATH
from app.fhir.search_params import SearchParams

PAGING_PARAMS = frozenset({"_count", "_offset"})


def fhir_base(request: Request) -> str:
    """The FHIR base under PUBLIC_BASE_URL (`.../fhir/r4`), never the request's Host."""
    return public_base(request) + FHIR_BASE_PATH


def _page_url(request: Request, resource_type: str, count: int, offset: int) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in PAGING_PARAMS]
    query += [("_count", str(count)), ("_offset", str(offset))]
    return f"{fhir_base(request)}/{resource_type}?{urlencode(query)}"


def searchset(
    request: Request,
    resource_type: str,
    resources: Sequence[dict[str, Any]],
    *,
    total: int,
    params: SearchParams,
) -> dict[str, Any]:
    count, offset = params.count, params.offset
    links = [{"relation": "self", "url": _page_url(request, resource_type, count, offset)}]
    if count and offset + count < total:
        links.append(
            {"relation": "next", "url": _page_url(request, resource_type, count, offset + count)}
        )
    if count and offset > 0:
        previous = max(offset - count, 0)
        links.append(
            {"relation": "previous", "url": _page_url(request, resource_type, count, previous)}
        )
    base = fhir_base(request)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
    }
    if resources:
        bundle["entry"] = [
            {
                "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in resources
        ]
    return bundle
