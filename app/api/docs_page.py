"""/docs (Swagger UI) and /openapi.json, switchable by DOCS_ENABLED.

Swagger UI is loaded from the jsDelivr CDN, as FastAPI does by default,
rather than vendored: nothing to update by hand. The page gets its own
Content-Security-Policy that names exactly that CDN path and allows its one
inline boot script by hash, so it needs no 'unsafe-inline' for scripts.
Swagger UI styles elements inline, so styles do allow 'unsafe-inline'; the
favicon is an empty data URL so no third party learns who reads the docs.
ReDoc and the OAuth2 redirect page are not served: nothing here uses them.
"""

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse

from app.config import Settings
from app.http.security import frame_ancestors

OPENAPI_URL = "/openapi.json"
DOCS_URL = "/docs"
SWAGGER_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hashes(page: str) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(page)
    ]


def docs_page(title: str, origins: list[str]) -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=OPENAPI_URL,
        title=f"{title} - docs",
        swagger_js_url=SWAGGER_CDN + "swagger-ui-bundle.js",
        swagger_css_url=SWAGGER_CDN + "swagger-ui.css",
        swagger_favicon_url="data:,",
        oauth2_redirect_url=None,
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode()
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src {SWAGGER_CDN} {' '.join(_script_hashes(html))}",
            f"style-src {SWAGGER_CDN} 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            f"frame-ancestors {frame_ancestors(origins)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


def install_docs(app: FastAPI, settings: Settings) -> None:
    """Add /docs; /openapi.json itself is FastAPI's, switched by `openapi_url`."""
    if not settings.docs_on:
        return
    page = docs_page(app.title, settings.cors_origins)

    async def swagger_ui(request: Request) -> HTMLResponse:
        policy = page.headers["content-security-policy"]
        return HTMLResponse(page.body, headers={"Content-Security-Policy": policy})

    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
