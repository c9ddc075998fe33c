"""The embeddable FAQ widget for the hospital portal, and a page that shows it.

The script is a static file shipped in the package (`app/static`), read once
and served with a short public cache so a fix reaches every portal within
minutes. The demo page carries the strict Content-Security-Policy a portal
can copy: the widget needs no inline script and no inline style.
"""

import base64
import hashlib
import html
from functools import lru_cache
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, Response

from app.api.openapi_responses import BAD_REQUEST
from app.config import Settings
from app.deps import SettingsDep
from app.http.security import frame_ancestors
from app.schemas.inputs import SLUG_PATTERN

router = APIRouter(prefix="/embed", tags=["embed"])

SCRIPT_NAME = "treatment-faqs.js"
SCRIPT_CACHE_CONTROL = "public, max-age=300"
LOCALE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"
# The page's only style, allowed by its hash so the CSP needs no 'unsafe-inline'.
# It also shows a portal restyling the widget through custom properties and parts.
DEMO_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; color: #1b1f23; margin: 0 auto;
  max-width: 46rem; padding: 1.5rem; }
code { overflow-wrap: anywhere; }
treatment-faqs { --tf-accent: #8a1d5a; --tf-border: 1px solid #d9c7d1; --tf-radius: 10px; }
treatment-faqs::part(question) { font-size: 1.05rem; }
"""
DEMO_CSS_HASH = (
    "'sha256-" + base64.b64encode(hashlib.sha256(DEMO_CSS.encode()).digest()).decode() + "'"
)

DEMO_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Treatment FAQs widget demo</title>
<link rel="icon" href="data:,">
<style>{css}</style>
<script src="{script_path}" defer></script>
</head>
<body>
<main>
<h1>Frequently asked questions</h1>
<p>This page embeds the FAQs of <code>{treatment}</code> with one tag:</p>
<pre><code>{snippet}</code></pre>
<treatment-faqs treatment="{treatment}"></treatment-faqs>
</main>
</body>
</html>
"""


class JavaScriptResponse(Response):
    # RFC 9239: text/javascript is the one registered type for scripts;
    # application/javascript is obsolete (and generators cannot map it).
    media_type = "text/javascript"


@lru_cache(maxsize=1)
def widget_source() -> bytes:
    return resources.files("app").joinpath("static", SCRIPT_NAME).read_bytes()


def demo_policy(settings: Settings) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
            f"style-src {DEMO_CSS_HASH}",
            "img-src 'self' https: data:",
            f"frame-ancestors {frame_ancestors(settings.cors_origins)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


@router.get(
    f"/{SCRIPT_NAME}",
    response_class=JavaScriptResponse,
    responses={
        200: {
            "description": "The widget script (a classic script defining `<treatment-faqs>`).",
            "content": {"text/javascript": {"schema": {"type": "string"}}},
        },
        400: BAD_REQUEST,
    },
)
def treatment_faqs_script() -> Response:
    """The `<treatment-faqs>` custom element, for one `<script>` tag on any page."""
    return Response(
        widget_source(),
        media_type="text/javascript; charset=utf-8",
        headers={
            "Cache-Control": SCRIPT_CACHE_CONTROL,
            "X-Content-Type-Options": "nosniff",
            # Portals that isolate themselves (COEP) may still load the script.
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get(
    "/demo",
    response_class=HTMLResponse,
    responses={
        200: {
            "description": "An HTML page embedding the widget under a strict CSP.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        400: BAD_REQUEST,
    },
)
def demo_page(
    request: Request,
    settings: SettingsDep,
    treatment: Annotated[
        str,
        Query(max_length=120, pattern=SLUG_PATTERN, description="Treatment slug to show."),
    ] = "immunotherapy",
    lang: Annotated[
        str | None,
        Query(
            max_length=35,
            pattern=LOCALE_PATTERN,
            description="The page's language (`<html lang>`); the widget asks for it.",
        ),
    ] = None,
) -> HTMLResponse:
    """A demo page showing the FAQ widget as a portal would embed it."""
    script_path = f"{request.scope.get('root_path', '')}/embed/{SCRIPT_NAME}"
    snippet = (
        f'<script src="{settings.public_base_url.rstrip("/")}/embed/{SCRIPT_NAME}" defer>'
        f'</script>\n<treatment-faqs treatment="{treatment}"></treatment-faqs>'
    )
    page = DEMO_PAGE.format(
        lang=html.escape(lang or settings.default_locale),
        css=DEMO_CSS,
        script_path=html.escape(script_path),
        treatment=html.escape(treatment),
        snippet=html.escape(snippet),
    )
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": demo_policy(settings),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
        },
    )
