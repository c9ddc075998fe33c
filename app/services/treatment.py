"""Queries and rules for treatments."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.services.common import descendant_ids, get_by_slug, resolve_filter_id
from app.services.delivery import search as search_service
from app.services.paging import ListParams, apply_sort, page
from models import (
    AdministrationRoute,
    Clinic,
    Doctor,
    Faq,
    Treatment,
    TreatmentRoute,
    TreatmentType,
)
from models.condition import Condition, ConditionCode
from models.links import clinic_treatment, condition_treatment, doctor_treatment

SORTABLE = {
    "title": Treatment.title,
    "slug": Treatment.slug,
    "created_at": Treatment.created_at,
    "updated_at": Treatment.updated_at,
    "next_review_due": Treatment.next_review_due,
}

FAQ_SORTABLE = {"position": Faq.position, "updated_at": Faq.updated_at, "question": Faq.question}
FAQ_OPTIONS: tuple[Any, ...] = (selectinload(Faq.tag_rows), joinedload(Faq.treatment))

LIST_OPTIONS: tuple[ExecutableOption, ...] = (
    joinedload(Treatment.type),
    selectinload(Treatment.route_links).joinedload(TreatmentRoute.route),
    selectinload(Treatment.conditions),
)

DETAIL_OPTIONS: tuple[ExecutableOption, ...] = (
    *LIST_OPTIONS,
    selectinload(Treatment.faqs).options(*FAQ_OPTIONS),
    selectinload(Treatment.doctors).options(
        selectinload(Doctor.specialty_rows),
        selectinload(Doctor.language_rows),
        selectinload(Doctor.clinics),
        selectinload(Doctor.treatments),
    ),
    selectinload(Treatment.clinics),
    selectinload(Treatment.media),
)


@dataclass(frozen=True)
class TreatmentFilters:
    type: str | None = None
    route: str | None = None
    condition: str | None = None
    condition_code: str | None = None
    doctor: str | None = None
    clinic: str | None = None
    q: str | None = None
    updated_since: datetime | None = None


def filtered_query(session: Session, *, filters: TreatmentFilters) -> Select[Any]:
    stmt = select(Treatment)
    if filters.type:
        root = resolve_filter_id(session, model=TreatmentType, slug=filters.type, param="type")
        stmt = stmt.where(
            Treatment.type_id.in_(descendant_ids(session, model=TreatmentType, root_id=root))
        )
    if filters.route:
        root = resolve_filter_id(
            session, model=AdministrationRoute, slug=filters.route, param="route"
        )
        route_ids = descendant_ids(session, model=AdministrationRoute, root_id=root)
        stmt = stmt.where(
            Treatment.id.in_(
                select(TreatmentRoute.treatment_id).where(TreatmentRoute.route_id.in_(route_ids))
            )
        )
    if filters.condition:
        condition_id = resolve_filter_id(
            session, model=Condition, slug=filters.condition, param="condition"
        )
        stmt = stmt.where(
            Treatment.id.in_(
                select(condition_treatment.c.treatment_id).where(
                    condition_treatment.c.condition_id == condition_id
                )
            )
        )
    if filters.condition_code:
        # A code is matched like a specialty: one no condition has is an empty list.
        coded = select(ConditionCode.condition_id).where(
            ConditionCode.code == filters.condition_code
        )
        stmt = stmt.where(
            Treatment.id.in_(
                select(condition_treatment.c.treatment_id)
                .join(Condition, Condition.id == condition_treatment.c.condition_id)
                .where(condition_treatment.c.condition_id.in_(coded))
            )
        )
    if filters.doctor:
        doctor_id = resolve_filter_id(session, model=Doctor, slug=filters.doctor, param="doctor")
        stmt = stmt.where(
            Treatment.id.in_(
                select(doctor_treatment.c.treatment_id).where(
                    doctor_treatment.c.doctor_id == doctor_id
                )
            )
        )
    if filters.clinic:
        clinic_id = resolve_filter_id(session, model=Clinic, slug=filters.clinic, param="clinic")
        stmt = stmt.where(
            Treatment.id.in_(
                select(clinic_treatment.c.treatment_id).where(
                    clinic_treatment.c.clinic_id == clinic_id
                )
            )
        )
    if filters.q:
        stmt = stmt.where(
            Treatment.id.in_(search_service.search_ids(session, kind_name="treatment", q=filters.q))
        )
    if filters.updated_since is not None:
        stmt = stmt.where(Treatment.updated_at >= filters.updated_since)
    return stmt


def list_treatments(
    session: Session, *, params: ListParams, filters: TreatmentFilters
) -> tuple[list[Treatment], int]:
    stmt = filtered_query(session, filters=filters)
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=SORTABLE, default=["title"], tiebreak=Treatment.id
    )
    return page(session, stmt=stmt, params=params, options=LIST_OPTIONS)


def get_treatment(session: Session, *, slug: str) -> Treatment:
    return get_by_slug(session, model=Treatment, slug=slug, options=DETAIL_OPTIONS)


def list_treatment_faqs(
    session: Session, *, slug: str, params: ListParams
) -> tuple[list[Faq], int]:
    treatment = get_by_slug(session, model=Treatment, slug=slug)
    stmt = select(Faq).where(Faq.treatment_id == treatment.id)
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=FAQ_SORTABLE, default=["position"], tiebreak=Faq.id
    )
    return page(session, stmt=stmt, params=params, options=FAQ_OPTIONS)
