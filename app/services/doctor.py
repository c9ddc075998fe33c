"""Queries for doctors."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.services.common import get_by_slug, resolve_filter_id
from app.services.delivery import search as search_service
from app.services.paging import ListParams, apply_sort, page
from models import Clinic, Doctor, DoctorLanguage, DoctorSpecialty, Treatment
from models.links import doctor_clinic, doctor_treatment

SORTABLE = {
    "name": Doctor.name,
    "slug": Doctor.slug,
    "created_at": Doctor.created_at,
    "updated_at": Doctor.updated_at,
}

LIST_OPTIONS: tuple[ExecutableOption, ...] = (
    selectinload(Doctor.specialty_rows),
    selectinload(Doctor.language_rows),
    selectinload(Doctor.clinics),
    selectinload(Doctor.treatments),
)
DETAIL_OPTIONS: tuple[ExecutableOption, ...] = (*LIST_OPTIONS, selectinload(Doctor.media))


@dataclass(frozen=True)
class DoctorFilters:
    specialty: str | None = None
    clinic: str | None = None
    treatment: str | None = None
    language: str | None = None
    q: str | None = None
    updated_since: datetime | None = None


def filtered_query(session: Session, *, filters: DoctorFilters) -> Select[Any]:
    stmt = select(Doctor)
    if filters.specialty:
        # Specialties are free text typed by editors; match them case-insensitively.
        stmt = stmt.where(
            Doctor.id.in_(
                select(DoctorSpecialty.doctor_id).where(
                    func.lower(DoctorSpecialty.specialty) == filters.specialty.lower()
                )
            )
        )
    if filters.clinic:
        clinic_id = resolve_filter_id(session, model=Clinic, slug=filters.clinic, param="clinic")
        stmt = stmt.where(
            Doctor.id.in_(
                select(doctor_clinic.c.doctor_id).where(doctor_clinic.c.clinic_id == clinic_id)
            )
        )
    if filters.treatment:
        treatment_id = resolve_filter_id(
            session, model=Treatment, slug=filters.treatment, param="treatment"
        )
        stmt = stmt.where(
            Doctor.id.in_(
                select(doctor_treatment.c.doctor_id).where(
                    doctor_treatment.c.treatment_id == treatment_id
                )
            )
        )
    if filters.language:
        stmt = stmt.where(
            Doctor.id.in_(
                select(DoctorLanguage.doctor_id).where(DoctorLanguage.language == filters.language)
            )
        )
    if filters.q:
        stmt = stmt.where(
            Doctor.id.in_(search_service.search_ids(session, kind_name="doctor", q=filters.q))
        )
    if filters.updated_since is not None:
        stmt = stmt.where(Doctor.updated_at >= filters.updated_since)
    return stmt


def list_doctors(
    session: Session, *, params: ListParams, filters: DoctorFilters
) -> tuple[list[Doctor], int]:
    stmt = filtered_query(session, filters=filters)
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=SORTABLE, default=["name"], tiebreak=Doctor.id
    )
    return page(session, stmt=stmt, params=params, options=LIST_OPTIONS)


def get_doctor(session: Session, *, slug: str) -> Doctor:
    return get_by_slug(session, model=Doctor, slug=slug, options=DETAIL_OPTIONS)
