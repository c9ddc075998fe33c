"""One router per resource kind; ROUTERS is the order they are mounted in."""

from fastapi import APIRouter

from routers import (
    administration_routes,
    clinics,
    doctors,
    editorial_revisions,
    editorial_views,
    editorial_workflow,
    editorial_writes,
    embed,
    export,
    faqs,
    fhir,
    health,
    media,
    organization,
    search,
    sync,
    treatment_types,
    treatments,
    webhooks,
)

ROUTERS: list[APIRouter] = [
    health.router,
    treatments.router,
    treatment_types.router,
    administration_routes.router,
    faqs.router,
    doctors.router,
    clinics.router,
    media.router,
    organization.router,
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
