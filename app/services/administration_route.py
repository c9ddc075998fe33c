"""Queries for administration routes."""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.services.common import WithExtras, descendant_ids, get_by_slug
from app.services.paging import ListParams, apply_sort, page
from models import AdministrationRoute, Treatment, TreatmentRoute

SORTABLE = {
    "name": AdministrationRoute.name,
    "slug": AdministrationRoute.slug,
    "created_at": AdministrationRoute.created_at,
    "updated_at": AdministrationRoute.updated_at,
}

LIST_OPTIONS: tuple[ExecutableOption, ...] = (
    joinedload(AdministrationRoute.parent),
    selectinload(AdministrationRoute.children),
)


def list_routes(
    session: Session, *, params: ListParams, snomed_code: str | None = None
) -> tuple[list[AdministrationRoute], int]:
    stmt = select(AdministrationRoute)
    if snomed_code:
        stmt = stmt.where(AdministrationRoute.snomed_code == snomed_code)
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=SORTABLE, default=["name"], tiebreak=AdministrationRoute.id
    )
    return page(session, stmt=stmt, params=params, options=LIST_OPTIONS)


def get_route(session: Session, *, slug: str) -> WithExtras:
    """The route with the treatments given that way, directly or by a sub-route.

    Matches `GET /v1/treatments?route=`: a treatment given "into a body
    cavity" by way of intravesical use is listed under both.
    """
    item = get_by_slug(session, model=AdministrationRoute, slug=slug, options=LIST_OPTIONS)
    route_ids = descendant_ids(session, model=AdministrationRoute, root_id=item.id)
    treatments = session.scalars(
        select(Treatment)
        .where(
            Treatment.id.in_(
                select(TreatmentRoute.treatment_id).where(TreatmentRoute.route_id.in_(route_ids))
            )
        )
        .order_by(Treatment.title, Treatment.id)
    ).all()
    return WithExtras(item, treatments=list(treatments))
