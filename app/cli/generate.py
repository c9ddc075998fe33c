"""Synthetic content at scale, for benchmarks and load tests.

Everything written here is plainly fake (`synthetic-` slugs, "(synthetic)"
titles, lorem ipsum prose, never a medical claim) and it only ever adds
rows: `replace` deletes `synthetic-*` rows only. Rows are validated with
the API's Create schemas but inserted with Core executemany per batch,
because the ORM path would take many minutes for 100,000 FAQs; each batch
calls `changes.after_bulk_insert` so search and sync still see it.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from app.cli import synthetic
from app.content.entry import Kind
from app.content.kinds import KINDS, KINDS_BY_NAME
from app.db import Database
from app.errors import Conflict, ValidationFailed
from app.services import change_hook as changes
from models import (
    AdministrationRoute,
    DoctorLanguage,
    DoctorSpecialty,
    FaqTag,
    TreatmentRoute,
    TreatmentType,
)
from models.base import Base, Status
from models.links import clinic_treatment, doctor_clinic, doctor_treatment

BATCH_SIZE = 2_000
NAMESPACE = uuid.UUID("0b1e5a52-9f0c-4f27-8a55-53796e746865")
# Deleted in this order: FAQs restrict their treatment's deletion.
KIND_PATHS = ("faqs", "doctors", "clinics", "treatments")

Progress = Callable[[int], None]
Rows = dict[str, list[dict[str, Any]]]  # by table name


@dataclass(frozen=True)
class Spec:
    treatments: int
    faqs: int
    doctors: int
    clinics: int
    seed: int = 1


@dataclass(frozen=True)
class Report:
    created: dict[str, int]
    deleted: int


def synthetic_id(kind: Kind, slug: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind.name}:{slug}"))


def count_synthetic(session: Session) -> int:
    return sum(
        session.scalar(
            select(func.count()).select_from(model).where(model.slug.startswith(synthetic.PREFIX))
        )
        or 0
        for model in (KINDS[path].model for path in KIND_PATHS)
    )


def delete_synthetic(database: Database) -> int:
    """Delete `synthetic-*` rows only; link and child rows go with them by cascade."""
    total = 0
    for path in KIND_PATHS:
        kind = KINDS[path]
        with database.transaction(write=True) as session:
            ids = list(
                session.scalars(
                    select(kind.model.id).where(kind.model.slug.startswith(synthetic.PREFIX))
                )
            )
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start : start + BATCH_SIZE]
                session.execute(delete(kind.model).where(kind.model.id.in_(chunk)))
                changes.after_bulk_delete(session, kind=kind.name, ids=chunk)
            total += len(ids)
    return total


class Builder:
    """Turns validated payloads into table rows, resolving slugs to ids."""

    def __init__(self, *, type_ids: dict[str, str], route_ids: dict[str, str]) -> None:
        self.type_ids = type_ids
        self.route_ids = route_ids
        self.now = datetime.now(UTC)

    def validate(self, kind: Kind, raw: dict[str, Any]) -> dict[str, Any]:
        try:
            payload: BaseModel = kind.create_schema.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ValidationFailed(f"generated {kind.name} {raw['slug']}: {first['msg']}") from exc
        data: dict[str, Any] = payload.model_dump()
        return data

    def base_row(self, kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
        table = Base.metadata.tables[kind.name]  # a kind is named after its table
        row = {key: value for key, value in data.items() if key in table.c}
        row.update(
            id=synthetic_id(kind, data["slug"]),
            status=Status.published,
            version=2,  # created (1) then published, as the seed's path leaves it
            created_at=self.now,
            updated_at=self.now,
            deleted_at=None,
        )
        return row

    def add(self, rows: Rows, kind: Kind, raw: dict[str, Any]) -> str:
        data = self.validate(kind, raw)
        row = self.base_row(kind, data)
        rows.setdefault(kind.name, []).append(row)
        item_id: str = row["id"]
        link = self._links(kind.name, data, item_id)
        for table, extra in link.items():
            rows.setdefault(table, []).extend(extra)
        if kind.name == "treatment":
            row["type_id"] = self.type_ids.get(data["type"]) if data["type"] else None
        elif kind.name == "faq":
            row["treatment_id"] = self.ref("treatment", data["treatment"])
        return item_id

    def ref(self, kind_name: str, value: str | None) -> str | None:
        return synthetic_id(KINDS_BY_NAME[kind_name], value) if value else None

    def _links(self, kind_name: str, data: dict[str, Any], item_id: str) -> Rows:
        def refs(name: str, values: Sequence[str]) -> list[str]:
            return [ref for ref in (self.ref(name, v) for v in values) if ref]

        if kind_name == "treatment":
            return {
                TreatmentRoute.__tablename__: [
                    {
                        "treatment_id": item_id,
                        "route_id": self.route_ids[use["route"]],
                        "position": i,
                        "notes": use["notes"],
                    }
                    for i, use in enumerate(data["administration_routes"])
                ],
            }
        if kind_name == "faq":
            return {FaqTag.__tablename__: [{"faq_id": item_id, "tag": t} for t in data["tags"]]}
        if kind_name == "clinic":
            treatments = refs("treatment", data["treatments"])
            return {
                clinic_treatment.name: [
                    {"clinic_id": item_id, "treatment_id": t} for t in treatments
                ]
            }
        if kind_name == "doctor":
            return {
                DoctorSpecialty.__tablename__: [
                    {"doctor_id": item_id, "specialty": s, "position": i}
                    for i, s in enumerate(data["specialties"])
                ],
                DoctorLanguage.__tablename__: [
                    {"doctor_id": item_id, "language": lang, "position": i}
                    for i, lang in enumerate(data["languages"])
                ],
                doctor_clinic.name: [
                    {"doctor_id": item_id, "clinic_id": c} for c in refs("clinic", data["clinics"])
                ],
                doctor_treatment.name: [
                    {"doctor_id": item_id, "treatment_id": t}
                    for t in refs("treatment", data["treatments"])
                ],
            }
        return {}


def _insert_batches(
    database: Database,
    builder: Builder,
    kind: Kind,
    payloads: Iterator[dict[str, Any]],
    progress: Progress,
) -> int:
    created = 0
    while True:
        rows: Rows = {}
        ids = [
            builder.add(rows, kind, raw)
            for _, raw in zip(range(BATCH_SIZE), payloads, strict=False)
        ]
        if not ids:
            return created
        with database.transaction(write=True) as session:
            for name, table_rows in rows.items():
                if table_rows:
                    session.execute(insert(Base.metadata.tables[name]), table_rows)
            changes.after_bulk_insert(session, kind=kind.name, ids=ids)
        created += len(ids)
        progress(len(ids))


def _taxonomy_ids(session: Session, model: Any) -> dict[str, str]:
    """Published, non-synthetic items of a small tree (types, routes), by slug."""
    stmt = select(model.slug, model.id).where(
        model.status == Status.published,
        model.deleted_at.is_(None),
        ~model.slug.startswith(synthetic.PREFIX),
    )
    return dict(sorted((row[0], row[1]) for row in session.execute(stmt)))


def _payloads(spec: Spec, *, types: list[str], routes: list[str]) -> dict[str, Iterator[Any]]:
    """One lazy stream of raw input documents per kind, all from one seeded generator."""
    rng = synthetic.Source(spec.seed)
    treatment_slugs = [synthetic.slug("treatment", n) for n in range(1, spec.treatments + 1)]
    clinic_slugs = [synthetic.slug("clinic", n) for n in range(1, spec.clinics + 1)]
    per_clinic = max(1, spec.treatments // max(spec.clinics, 1))

    def faq_treatment(n: int) -> str | None:
        return treatment_slugs[n % spec.treatments] if spec.treatments else None

    return {
        "treatments": (
            synthetic.treatment(rng, n, types=types, routes=routes)
            for n in range(1, spec.treatments + 1)
        ),
        "clinics": (
            synthetic.clinic(
                rng, n, treatments=treatment_slugs[(n - 1) * per_clinic : n * per_clinic]
            )
            for n in range(1, spec.clinics + 1)
        ),
        "doctors": (
            synthetic.doctor(rng, n, clinics=clinic_slugs, treatments=treatment_slugs)
            for n in range(1, spec.doctors + 1)
        ),
        "faqs": (
            synthetic.faq(
                rng,
                n + 1,
                treatment=faq_treatment(n),
                position=n // max(spec.treatments, 1) + 1,
            )
            for n in range(spec.faqs)
        ),
    }


def generate(
    database: Database, spec: Spec, *, replace: bool = False, progress: Progress = lambda _: None
) -> Report:
    """Add the synthetic items; refuse if some exist, unless `replace` (synthetic only)."""
    with database.transaction() as session:
        existing = count_synthetic(session)
        type_ids = _taxonomy_ids(session, TreatmentType)
        route_ids = _taxonomy_ids(session, AdministrationRoute)
    if existing and not replace:
        raise Conflict(
            f"{existing} synthetic items already exist; pass --replace to delete only the "
            "synthetic-* items and generate them afresh"
        )
    deleted = delete_synthetic(database) if existing else 0
    builder = Builder(type_ids=type_ids, route_ids=route_ids)
    payloads = _payloads(spec, types=list(type_ids), routes=list(route_ids))
    created = {
        path: _insert_batches(database, builder, KINDS[path], payloads[path], progress)
        for path in ("treatments", "clinics", "doctors", "faqs")
    }
    refresh_planner_statistics(database)
    return Report(created=created, deleted=deleted)


def refresh_planner_statistics(database: Database) -> None:
    """ANALYZE after a bulk load, so the planner knows the new row counts.

    Without statistics SQLite drives a filtered list from the low-selectivity
    status index (every row is published) instead of the filter's own index;
    PostgreSQL's autovacuum would catch up, but only some time later.
    """
    with database.transaction(write=True) as session:
        session.execute(text("ANALYZE"))
