"""Liveness and readiness probes for load balancers and orchestrators."""

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.deps import get_database
from app.errors import ServiceUnavailable

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: the process answers; says nothing about the database."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={503: {"description": "The database cannot be reached."}},
)
def readyz(request: Request) -> dict[str, Any]:
    """Readiness: the database answers a query."""
    database = get_database(request)
    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise ServiceUnavailable("The database is not reachable.") from exc
    return {"status": "ok", "database": database.engine.dialect.name}
