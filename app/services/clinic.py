"""Queries for clinics and departments."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.services.common import get_by_slug, resolve_filter_id
from app.services.delivery import search as search_service
from app.services.paging import ListParams, apply_sort, page
from models import Clinic, Doctor, Treatment
from models.links import clinic_treatment, doctor_clinic

SORTABLE = {
    "name": Clinic.name,
    "slug": Clinic.slug,
    "created_at": Clinic.created_at,
    "updated_at": Clinic.updated_at,
}

LIST_OPTIONS: tuple[ExecutableOption, ...] = (
    selectinload(Clinic.doctors),
    selectinload(Clinic.treatments),
)
DETAIL_OPTIONS: tuple[ExecutableOption, ...] = (*LIST_OPTIONS, selectinload(Clinic.media))


@dataclass(frozen=True)
class ClinicFilters:
    treatment: str | None = None
    doctor: str | None = None
    q: str | None = None
    updated_since: datetime | None = None


def filtered_query(session: Session, *, filters: ClinicFilters) -> Select[Any]:
    stmt = select(Clinic)
    if filters.treatment:
        treatment_id = resolve_filter_id(
            session, model=Treatment, slug=filters.treatment, param="treatment"
        )
        stmt = stmt.where(
            Clinic.id.in_(
                select(clinic_treatment.c.clinic_id).where(
                    clinic_treatment.c.treatment_id == treatment_id
                )
            )
        )
    if filters.doctor:
        doctor_id = resolve_filter_id(session, model=Doctor, slug=filters.doctor, param="doctor")
        stmt = stmt.where(
            Clinic.id.in_(
                select(doctor_clinic.c.clinic_id).where(doctor_clinic.c.doctor_id == doctor_id)
            )
        )
    if filters.q:
        stmt = stmt.where(
            Clinic.id.in_(search_service.search_ids(session, kind_name="clinic", q=filters.q))
        )
    if filters.updated_since is not None:
        stmt = stmt.where(Clinic.updated_at >= filters.updated_since)
    return stmt


def list_clinics(
    session: Session, *, params: ListParams, filters: ClinicFilters
) -> tuple[list[Clinic], int]:
    stmt = filtered_query(session, filters=filters)
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=SORTABLE, default=["name"], tiebreak=Clinic.id
    )
    return page(session, stmt=stmt, params=params, options=LIST_OPTIONS)


def get_clinic(session: Session, *, slug: str) -> Clinic:
    return get_by_slug(session, model=Clinic, slug=slug, options=DETAIL_OPTIONS)
