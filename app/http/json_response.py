"""The one way a JSON body becomes a response: orjson, a media type, headers.

Envelopes, problems, JSON-LD, FHIR resources and OperationOutcomes all go
through it, so encoding choices (orjson's output, HTML-safe escaping for
bodies a portal may inline in a <script> tag) are made in one place.
"""

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from app.http.negotiation import JSON

# JSON-LD is embedded in HTML pages: `<`, `>` and `&` must not close the
# script element, so they are sent as JSON escapes (the same JSON value).
_SCRIPT_SAFE = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def json_body(payload: Any, *, script_safe: bool = False) -> bytes:
    body = orjson.dumps(payload)
    if script_safe:
        for raw, escaped in _SCRIPT_SAFE:
            body = body.replace(raw, escaped)
    return body


def json_response(
    payload: Any,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    *,
    media_type: str = JSON,
    script_safe: bool = False,
) -> Response:
    return Response(
        json_body(payload, script_safe=script_safe),
        status_code=status_code,
        media_type=media_type,
        headers=dict(headers) if headers else None,
    )
