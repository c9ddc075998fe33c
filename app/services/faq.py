"""Queries for FAQs, each an addressable item with its own review."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.listing import ListParams, apply_sort, page
from app.services import search as search_service
from app.services import treatment as treatment_service
from app.services.common import descendant_ids, get_by_slug, resolve_filter_id
from models import Faq, FaqTag, Treatment, TreatmentType

SORTABLE = {
    "question": Faq.question,
    "slug": Faq.slug,
    "created_at": Faq.created_at,
    "updated_at": Faq.updated_at,
    "position": Faq.position,
}


@dataclass(frozen=True)
class FaqFilters:
    treatment: str | None = None
    type: str | None = None
    tag: str | None = None
    q: str | None = None
    updated_since: datetime | None = None


def filtered_query(session: Session, filters: FaqFilters) -> Select[Any]:
    stmt = select(Faq)
    if filters.treatment:
        treatment_id = resolve_filter_id(session, Treatment, filters.treatment, param="treatment")
        stmt = stmt.where(Faq.treatment_id == treatment_id)
    if filters.type:
        root = resolve_filter_id(session, TreatmentType, filters.type, param="type")
        type_ids = descendant_ids(session, TreatmentType, root)
        stmt = stmt.where(
            Faq.treatment_id.in_(select(Treatment.id).where(Treatment.type_id.in_(type_ids)))
        )
    if filters.tag:
        stmt = stmt.where(Faq.id.in_(select(FaqTag.faq_id).where(FaqTag.tag == filters.tag)))
    if filters.q:
        stmt = stmt.where(Faq.id.in_(search_service.search_ids(session, "faq", filters.q)))
    if filters.updated_since is not None:
        stmt = stmt.where(Faq.updated_at >= filters.updated_since)
    return stmt


def list_faqs(
    session: Session, *, params: ListParams, filters: FaqFilters
) -> tuple[list[Faq], int]:
    stmt = filtered_query(session, filters)
    if not params.sort:
        # Default reading order: grouped by treatment, then as each page orders them.
        stmt = stmt.outerjoin(Treatment, Faq.treatment_id == Treatment.id).order_by(
            Treatment.title.asc().nulls_last(), Faq.treatment_id
        )
    stmt = apply_sort(stmt, params.sort, SORTABLE, ["position"], Faq.id)
    return page(session, stmt, params, options=treatment_service.FAQ_OPTIONS)


def get_faq(session: Session, *, slug: str) -> Faq:
    return get_by_slug(session, Faq, slug, options=treatment_service.FAQ_OPTIONS)
