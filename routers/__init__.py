"""One router per resource kind; ROUTERS is the order they are mounted in."""

from fastapi import APIRouter

from routers import (
    editorial_revisions,
    editorial_views,
    editorial_workflow,
    editorial_writes,
    health,
    treatments,
)

ROUTERS: list[APIRouter] = [
    health.router,
    treatments.router,
    editorial_writes.router,
    editorial_workflow.router,
    editorial_revisions.router,
    editorial_views.router,
]
