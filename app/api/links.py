"""Every absolute URL the API prints is made here, under PUBLIC_BASE_URL.

Links built from the request's Host and scheme follow whoever sent it: a
request with `Host: evil.example` would print links to evil.example, and
any cached copy would hand them to everyone after; behind a TLS proxy they
would say `http://`. So the origin is the deployment's, from settings, and
only the path and query come from the request. That also lets the response
cache key ignore Host and scheme (app/http/response_cache.py).
"""

from fastapi import Request
from starlette.datastructures import URL


def public_base(request: Request) -> str:
    """PUBLIC_BASE_URL, without a trailing slash (settings strip it)."""
    base: str = request.app.state.settings.public_base_url
    return base


def absolute(request: Request, path: str, query: str = "") -> str:
    """`path` (starting with `/`) and an optional query under PUBLIC_BASE_URL."""
    return public_base(request) + path + ("?" + query if query else "")


def of_url(request: Request, url: URL) -> str:
    """A URL the request produced (e.g. `request.url` with a changed parameter), re-based."""
    return absolute(request, url.path, url.query)
