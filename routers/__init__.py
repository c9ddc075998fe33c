"""The routers, in the order they are mounted.

A kind's public router is found from the registry, not listed here: every
entry in app.content.kinds has a module routers/<path with "_" for "-">.py
with a `router`, and a missing one fails at import naming the kind. The
other routers (search, sync, editorial, FHIR, ...) are listed by hand.
"""

import importlib

from fastapi import APIRouter

from app.content.entry import Kind
from app.content.kinds import KINDS
from routers import (
    editorial_revisions,
    editorial_views,
    editorial_workflow,
    editorial_writes,
    embed,
    export,
    fhir,
    health,
    search,
    sync,
    webhooks,
)


def kind_router(kind: Kind) -> APIRouter:
    """The public router of one kind: `router` in routers/<kind.module_name>.py."""
    try:
        module = importlib.import_module(f"routers.{kind.module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"routers.{kind.module_name}":
            raise
        raise LookupError(
            f"kind {kind.path!r} has no router module routers/{kind.module_name}.py"
        ) from exc
    router = getattr(module, "router", None)
    if not isinstance(router, APIRouter):
        raise LookupError(f"routers/{kind.module_name}.py has no APIRouter named `router`")
    return router


ROUTERS: list[APIRouter] = [
    health.router,
    *(kind_router(kind) for kind in KINDS.values()),
    search.router,
    sync.router,
    embed.router,
    fhir.router,
    editorial_writes.router,
    editorial_workflow.router,
    editorial_revisions.router,
    editorial_views.router,
    webhooks.router,
    export.router,
]
