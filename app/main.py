"""The application factory.

`create_app()` builds everything from settings; nothing connects at import
time, so tests and the CLI can build as many apps as they need.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from app.config import Settings, get_settings
from app.db import Database, make_engine
from app.deps import reject_unknown_params
from app.errors import install_handlers
from app.http.install import HttpLayer
from app.openapi import install as install_openapi
from app.openapi import operation_id
from routers import ROUTERS

API_DESCRIPTION = """\
Structured treatment content (treatments, how they are given, FAQs, doctors,
clinics, media) published by the hospital's editors and reviewed by its
clinicians. Public reads need no key and only ever see published content.
Every error is an RFC 9457 `application/problem+json` document, except under
`/fhir/`, where FHIR clients get an OperationOutcome (see docs/fhir.md).
Two HTTP-level answers are not listed per operation: `304 Not Modified` to a
conditional GET (`If-None-Match`), and `405` to a method a path does not allow.
"""


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_database = database is None
    database = database or Database(make_engine(settings))
    http_layer = HttpLayer(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        http_layer.start()
        try:
            yield
        finally:
            http_layer.stop()
            if owns_database:
                database.dispose()

    app = FastAPI(
        title="Treatment Content API",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_params)],
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.database = database
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    http_layer.install(app)
    install_openapi(app)
    return app
