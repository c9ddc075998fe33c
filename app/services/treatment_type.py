"""Queries for the treatment-type taxonomy."""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.services.common import WithExtras, descendant_ids, get_by_slug, resolve_filter_id
from app.services.paging import ListParams, apply_sort, page
from models import Treatment, TreatmentType

SORTABLE = {
    "name": TreatmentType.name,
    "slug": TreatmentType.slug,
    "created_at": TreatmentType.created_at,
    "updated_at": TreatmentType.updated_at,
}

LIST_OPTIONS: tuple[ExecutableOption, ...] = (
    joinedload(TreatmentType.parent),
    selectinload(TreatmentType.children),
)


def list_treatment_types(
    session: Session, *, params: ListParams, parent: str | None = None
) -> tuple[list[TreatmentType], int]:
    stmt = select(TreatmentType)
    if parent:
        parent_id = resolve_filter_id(session, model=TreatmentType, slug=parent, param="parent")
        stmt = stmt.where(TreatmentType.parent_id == parent_id)
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=SORTABLE, default=["name"], tiebreak=TreatmentType.id
    )
    return page(session, stmt=stmt, params=params, options=LIST_OPTIONS)


def get_treatment_type(session: Session, *, slug: str) -> WithExtras:
    """The type with its treatments, including those of its sub-types.

    Matches `GET /v1/treatments?type=`, so a client sees the same set both ways.
    """
    item = get_by_slug(session, model=TreatmentType, slug=slug, options=LIST_OPTIONS)
    type_ids = descendant_ids(session, model=TreatmentType, root_id=item.id)
    treatments = session.scalars(
        select(Treatment)
        .where(Treatment.type_id.in_(type_ids))
        .order_by(Treatment.title, Treatment.id)
    ).all()
    return WithExtras(item, treatments=list(treatments))
