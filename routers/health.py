"""Liveness and readiness probes for load balancers and orchestrators."""

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.openapi_responses import BAD_REQUEST, SERVICE_UNAVAILABLE
from app.deps import get_database
from app.errors import ServiceUnavailable
from app.schemas.health import Health, Readiness

router = APIRouter(tags=["health"], responses={400: BAD_REQUEST})


@router.get("/healthz")
def healthz() -> Health:
    """Liveness: the process answers; says nothing about the database."""
    return Health(status="ok")


@router.get("/readyz", responses={503: SERVICE_UNAVAILABLE})
def readyz(request: Request) -> Readiness:
    """Readiness: the database answers a query."""
    database = get_database(request)
    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise ServiceUnavailable("The database is not reachable.") from exc
    return Readiness(status="ok", database=database.engine.dialect.name)
