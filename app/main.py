"""The application factory.

`create_app()` builds everything from settings; nothing connects at import
time, so tests and the CLI can build as many apps as they need.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.types import ASGIApp

from app.config import Settings, get_settings
from app.db import Database, make_engine
from app.deps import reject_unknown_params
from app.docs import OPENAPI_URL, install_docs
from app.errors import install_handlers
from app.http.install import HttpLayer
from routers import ROUTERS

API_DESCRIPTION = """\
Structured treatment content (treatments, how they are given, FAQs, doctors,
clinics, media) published by the hospital's editors and reviewed by its
clinicians. Public reads need no key and only ever see published content.
Every error is an RFC 9457 `application/problem+json` document, except under
`/fhir/`, where FHIR clients get an OperationOutcome (see docs/fhir.md).
"""


class ContentApi(FastAPI):
    """FastAPI with an `edge` around its whole middleware stack.

    `add_middleware` can only add layers inside Starlette's error middleware;
    the edge layers (security headers, request id, metrics) must also see the
    500 that middleware sends.
    """

    edge: Callable[[ASGIApp], ASGIApp] | None = None

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return self.edge(stack) if self.edge is not None else stack


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_database = database is None
    database = database or Database(make_engine(settings))
    http_layer = HttpLayer(settings, database.engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        http_layer.start()
        try:
            yield
        finally:
            await http_layer.stop()
            if owns_database:
                database.dispose()

    app = ContentApi(
        title="Treatment Content API",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_params)],
        openapi_url=OPENAPI_URL if settings.docs_on else None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    install_docs(app, settings)
    http_layer.install(app)
    app.edge = http_layer.wrap
    return app
