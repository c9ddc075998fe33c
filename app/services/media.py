"""Queries for media: videos and articles."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.services.common import get_by_slug, resolve_filter_id
from app.services.paging import ListParams, apply_sort, page
from models import Clinic, Doctor, Media, MediaKind, Treatment
from models.links import media_clinic, media_doctor, media_treatment

SORTABLE = {
    "title": Media.title,
    "slug": Media.slug,
    "created_at": Media.created_at,
    "updated_at": Media.updated_at,
}

OPTIONS: tuple[ExecutableOption, ...] = (
    selectinload(Media.treatments),
    selectinload(Media.doctors),
    selectinload(Media.clinics),
)


@dataclass(frozen=True)
class MediaFilters:
    kind: MediaKind | None = None
    treatment: str | None = None
    doctor: str | None = None
    clinic: str | None = None
    updated_since: datetime | None = None


def filtered_query(session: Session, *, filters: MediaFilters) -> Select[Any]:
    stmt = select(Media)
    if filters.kind is not None:
        stmt = stmt.where(Media.kind == filters.kind)
    if filters.treatment:
        treatment_id = resolve_filter_id(
            session, model=Treatment, slug=filters.treatment, param="treatment"
        )
        stmt = stmt.where(
            Media.id.in_(
                select(media_treatment.c.media_id).where(
                    media_treatment.c.treatment_id == treatment_id
                )
            )
        )
    if filters.doctor:
        doctor_id = resolve_filter_id(session, model=Doctor, slug=filters.doctor, param="doctor")
        stmt = stmt.where(
            Media.id.in_(
                select(media_doctor.c.media_id).where(media_doctor.c.doctor_id == doctor_id)
            )
        )
    if filters.clinic:
        clinic_id = resolve_filter_id(session, model=Clinic, slug=filters.clinic, param="clinic")
        stmt = stmt.where(
            Media.id.in_(
                select(media_clinic.c.media_id).where(media_clinic.c.clinic_id == clinic_id)
            )
        )
    if filters.updated_since is not None:
        stmt = stmt.where(Media.updated_at >= filters.updated_since)
    return stmt


def list_media(
    session: Session, *, params: ListParams, filters: MediaFilters
) -> tuple[list[Media], int]:
    stmt = filtered_query(session, filters=filters)
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=SORTABLE, default=["title"], tiebreak=Media.id
    )
    return page(session, stmt=stmt, params=params, options=OPTIONS)


def get_media(session: Session, *, slug: str) -> Media:
    return get_by_slug(session, model=Media, slug=slug, options=OPTIONS)
