"""The application factory.

`create_app()` builds everything from settings; nothing connects at import
time, so tests and the CLI can build as many apps as they need.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from app import wiring
from app.api.docs_page import OPENAPI_URL, install_docs
from app.api.openapi import install as install_openapi
from app.api.openapi_responses import operation_id
from app.api.problems import install_handlers
from app.config import Settings, get_settings
from app.db import Database, make_engine
from app.deps import reject_nul_bytes, reject_unknown_params
from app.http.dependency_headers import ResponseHeadersMiddleware
from app.http.install import HttpLayer
from app.jobs.scheduler import ScheduleGate, ScheduleThread, run_due_schedules
from app.jobs.webhook_worker import WebhookWorker
from app.services.api_key import LastUsedTracker
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


class ContentApi(FastAPI):
    """FastAPI with an `edge` around its whole middleware stack and a `front`
    before its own `__call__`.

    `add_middleware` can only add layers inside Starlette's error middleware;
    the edge layers (security headers, request id, metrics) must also see the
    500 that middleware sends. The front (the response cache's fast lane)
    answers a hit before FastAPI and Starlette do any per-request work.
    """

    edge: Callable[[ASGIApp], ASGIApp] | None = None
    front: Callable[[ASGIApp], ASGIApp] | None = None
    front_door: ASGIApp | None = None

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return self.edge(stack) if self.edge is not None else stack

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        door = self.front_door
        if door is None:
            framework = super().__call__
            door = self.front_door = self.front(framework) if self.front else framework
        await door(scope, receive, send)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_database = database is None
    database = database or Database(
        make_engine(settings), review_grace_days=settings.review_grace_days
    )
    disconnect = wiring.connect(database)
    http_layer = HttpLayer(settings, database)
    schedule_gate = ScheduleGate(settings.schedule_check_seconds)
    schedule_thread = ScheduleThread(database, schedule_gate)
    webhook_worker = WebhookWorker(database, settings) if settings.webhook_worker_enabled else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run on this loop's threadpool, one connection each; capping
        # the threads at the pool's capacity (Settings checks it) makes excess load
        # wait for a thread, never for a connection, so the pool cannot run dry.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
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
            await http_layer.stop()
            disconnect()
            if owns_database:
                database.dispose()

    app = ContentApi(
        title="Treatment Content API",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        dependencies=[
            Depends(reject_unknown_params),
            Depends(reject_nul_bytes),
            Depends(run_due_schedules),
        ],
        generate_unique_id_function=operation_id,
        openapi_url=OPENAPI_URL if settings.docs_on else None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.key_usage = LastUsedTracker()
    app.state.schedule = schedule_gate
    app.add_middleware(ResponseHeadersMiddleware)
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    install_docs(app, settings)
    http_layer.install(app)
    install_openapi(app)
    app.edge = http_layer.wrap
    app.front = http_layer.front
    return app
