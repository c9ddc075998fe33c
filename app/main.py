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
from app.middleware import ResponseHeadersMiddleware
from app.schedule import ScheduleGate, ScheduleThread, run_due_schedules
from app.services.api_key import LastUsedTracker
from app.webhooks.worker import WebhookWorker
from routers import ROUTERS

API_DESCRIPTION = """\
Structured treatment content (treatments, how they are given, FAQs, doctors,
clinics, media) published by the hospital's editors and reviewed by its
clinicians. Public reads need no key and only ever see published content.
Every error is an RFC 9457 `application/problem+json` document, except under
`/fhir/`, where FHIR clients get an OperationOutcome (see docs/fhir.md).
"""


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_database = database is None
    database = database or Database(
        make_engine(settings), review_grace_days=settings.review_grace_days
    )
    http_layer = HttpLayer(settings)
    schedule_gate = ScheduleGate(settings.schedule_check_seconds)
    schedule_thread = ScheduleThread(database, schedule_gate)
    webhook_worker = WebhookWorker(database, settings) if settings.webhook_worker_enabled else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        http_layer.start()
        schedule_thread.start()
        if webhook_worker is not None:
            webhook_worker.start()
        try:
            yield
        finally:
            if webhook_worker is not None:
                webhook_worker.stop()
            schedule_thread.stop()
            http_layer.stop()
            if owns_database:
                database.dispose()

    app = FastAPI(
        title="Treatment Content API",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_params), Depends(run_due_schedules)],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.key_usage = LastUsedTracker()
    app.state.schedule = schedule_gate
    app.add_middleware(ResponseHeadersMiddleware)
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    http_layer.install(app)
    return app
