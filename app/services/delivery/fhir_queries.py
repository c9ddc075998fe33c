"""Queries behind the FHIR directory export.

Called with a public session, so drafts, archived and deleted rows are
absent from every statement here, joins and subqueries included. Each
request runs a fixed number of statements whatever the page size.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.errors import BadRequest, NotFound
from app.fhir.resources import role_id
from app.fhir.search_params import SearchParams
from models import Clinic, Doctor, DoctorSpecialty, Organization
from models.links import doctor_clinic

M = TypeVar("M", Doctor, Clinic, Organization)

PRACTITIONER_OPTIONS: tuple[ExecutableOption, ...] = (selectinload(Doctor.language_rows),)


def organization_id(session: Session) -> str | None:
    """The hospital every resource belongs to; one row per deployment."""
    return session.scalar(
        select(Organization.id).order_by(Organization.created_at, Organization.id).limit(1)
    )


def _page(session: Session, stmt: Select[Any], params: SearchParams) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if params.count == 0:
        return [], int(total)
    rows = session.scalars(stmt.limit(params.count).offset(params.offset)).unique()
    return list(rows), int(total)


def search(
    session: Session,
    *,
    model: type[M],
    params: SearchParams,
    name: str | None = None,
    options: tuple[ExecutableOption, ...] = (),
) -> tuple[list[M], int]:
    """Doctors, clinics or the organization, by _id, _lastUpdated and name."""
    stmt = select(model).where(*params.where(model.id, model.updated_at))
    if name:
        stmt = stmt.where(model.name.icontains(name, autoescape=True))
    return _page(session, stmt.order_by(model.name, model.id).options(*options), params)


def read(
    session: Session,
    *,
    model: type[M],
    resource_type: str,
    resource_id: str,
    options: tuple[ExecutableOption, ...] = (),
) -> M:
    item = session.scalars(select(model).where(model.id == resource_id).options(*options)).first()
    if item is None:
        raise NotFound(f"{resource_type}/{resource_id} is not known.")
    return item


@dataclass(frozen=True)
class RoleFilters:
    specialty: str | None = None
    specialty_text: str | None = None
    practitioner: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class _Pair:
    doctor_id: str
    clinic_id: str | None
    updated_at: datetime

    @property
    def role_id(self) -> str:
        return role_id(self.doctor_id, self.clinic_id)


def reference_pattern(resource_type: str) -> str:
    """What `reference_id` accepts, for the OpenAPI document: a bare id, or
    anything ending in `<resource_type>/<id>` (trailing slashes ignored)."""
    return f"^(?:[^/\\u0000]*|(?:[^\\u0000]*/)?{resource_type}/[^/\\u0000]+)/*$"


def reference_id(value: str, *, resource_type: str, param: str) -> str:
    """`Type/id`, an absolute URL ending in it, or the bare id."""
    parts = value.rstrip("/").split("/")
    if len(parts) == 1:
        return parts[0]
    if parts[-2] == resource_type:
        return parts[-1]
    raise BadRequest(
        f"{param} must reference a {resource_type}, got {value!r}.",
        errors=[{"field": param, "message": f"not a {resource_type} reference"}],
    )


def _pairs(session: Session, filters: RoleFilters) -> list[_Pair]:
    """Every (doctor, published clinic) pair, and (doctor, None) for a doctor
    with no published clinic, in two columns each: one statement."""
    links = (
        select(
            doctor_clinic.c.doctor_id,
            Clinic.id.label("clinic_id"),
            Clinic.name.label("clinic_name"),
            Clinic.updated_at.label("clinic_updated_at"),
        )
        .select_from(doctor_clinic)
        .join(Clinic, Clinic.id == doctor_clinic.c.clinic_id)
        .subquery()
    )
    stmt = (
        select(Doctor.id, Doctor.updated_at, links.c.clinic_id, links.c.clinic_updated_at)
        .outerjoin(links, links.c.doctor_id == Doctor.id)
        .order_by(Doctor.name, Doctor.id, links.c.clinic_name, links.c.clinic_id)
    )
    if filters.specialty:
        stmt = stmt.where(
            Doctor.id.in_(
                select(DoctorSpecialty.doctor_id).where(
                    func.lower(DoctorSpecialty.specialty) == filters.specialty.lower()
                )
            )
        )
    if filters.specialty_text:
        stmt = stmt.where(
            Doctor.id.in_(
                select(DoctorSpecialty.doctor_id).where(
                    DoctorSpecialty.specialty.icontains(filters.specialty_text, autoescape=True)
                )
            )
        )
    if filters.practitioner:
        stmt = stmt.where(
            Doctor.id
            == reference_id(
                filters.practitioner, resource_type="Practitioner", param="practitioner"
            )
        )
    if filters.service:
        stmt = stmt.where(
            links.c.clinic_id
            == reference_id(filters.service, resource_type="HealthcareService", param="service")
        )
    return [
        _Pair(doctor_id, clinic_id, max(updated, clinic_updated or updated))
        for doctor_id, updated, clinic_id, clinic_updated in session.execute(stmt)
    ]


def _load(session: Session, pairs: list[_Pair]) -> list[tuple[Doctor, Clinic | None]]:
    if not pairs:
        return []
    doctors = {
        doctor.id: doctor
        for doctor in session.scalars(
            select(Doctor)
            .where(Doctor.id.in_({pair.doctor_id for pair in pairs}))
            .options(selectinload(Doctor.specialty_rows))
        )
    }
    clinic_ids = {pair.clinic_id for pair in pairs if pair.clinic_id}
    clinics = (
        {c.id: c for c in session.scalars(select(Clinic).where(Clinic.id.in_(clinic_ids)))}
        if clinic_ids
        else {}
    )
    return [
        (doctors[pair.doctor_id], clinics[pair.clinic_id] if pair.clinic_id else None)
        for pair in pairs
        if pair.doctor_id in doctors and (pair.clinic_id is None or pair.clinic_id in clinics)
    ]


def search_roles(
    session: Session, *, params: SearchParams, filters: RoleFilters
) -> tuple[list[tuple[Doctor, Clinic | None]], int]:
    """Role ids are uuid5 of the pair, so _id and _lastUpdated filter the
    pair list in Python rather than in SQL."""
    pairs = [
        pair
        for pair in _pairs(session, filters)
        if (params.ids is None or pair.role_id in params.ids)
        and all(f.matches(pair.updated_at) for f in params.last_updated)
    ]
    window = pairs[params.offset : params.offset + params.count]
    return _load(session, window), len(pairs)


def read_role(session: Session, *, resource_id: str) -> tuple[Doctor, Clinic | None]:
    pairs = [pair for pair in _pairs(session, RoleFilters()) if pair.role_id == resource_id]
    loaded = _load(session, pairs)
    if not loaded:
        raise NotFound(f"PractitionerRole/{resource_id} is not known.")
    return loaded[0]
