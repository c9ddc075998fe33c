"""The registry of resource kinds: one place that knows how a kind's input
fields map onto its tables.

Generic services (create, and in later work update, publish, revisions,
export) walk this registry instead of repeating per-kind code, so a new
field is added in one schema and one entry here.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.errors import BadRequest, ValidationFailed
from app.schemas.administration_route import (
    AdministrationRouteCreate,
    AdministrationRouteDetail,
    AdministrationRouteRead,
)
from app.schemas.clinic import ClinicCreate, ClinicDetail, ClinicRead
from app.schemas.doctor import DoctorCreate, DoctorDetail, DoctorRead
from app.schemas.faq import FaqCreate, FaqDocument, FaqRead
from app.schemas.media import MediaCreate, MediaRead
from app.schemas.organization import OrganizationCreate, OrganizationRead
from app.schemas.treatment import (
    TreatmentCreate,
    TreatmentDetail,
    TreatmentDocument,
    TreatmentRead,
)
from app.schemas.treatment_type import (
    TreatmentTypeCreate,
    TreatmentTypeDetail,
    TreatmentTypeRead,
)
from models import (
    AdministrationRoute,
    Clinic,
    Doctor,
    Faq,
    Media,
    Organization,
    Treatment,
    TreatmentRoute,
    TreatmentType,
)
from models.base import Base, EditorialMixin


def resolve_ids(session: Session, model: Any, slugs: Sequence[str], *, field: str) -> list[str]:
    """Slugs to ids in one query; an unknown slug is a 422 naming the field."""
    if not slugs:
        return []
    found: dict[str, str] = dict(
        session.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all()
    )
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ValidationFailed(
            f"{field} names unknown item(s): {', '.join(missing)}",
            errors=[
                {"field": field, "message": f"no {model.__tablename__} {s!r}"} for s in missing
            ],
        )
    return [found[slug] for slug in slugs]


class FieldMapping:
    """How one input field is stored and read back; the default is a plain attribute.

    `read` is the inverse of `apply`: it rebuilds the input value (slugs for
    references, lists for child rows), so an item can be turned back into the
    document it was created from (app.content.input_documents).
    """

    def apply(self, session: Session, item: Any, name: str, value: Any) -> None:
        setattr(item, name, value)

    def read(self, session: Session, item: Any, name: str) -> Any:
        return to_jsonable_python(getattr(item, name))

    def load(self, model: Any, name: str) -> list[ExecutableOption]:
        """Loader options `read` needs, since relationships are lazy="raise"."""
        return []

    def normalize(self, value: Any) -> Any:
        """The JSON input value in the form `read` gives back after storing it."""
        return value


@dataclass(frozen=True)
class SlugRef(FieldMapping):
    """A single reference given by slug, stored as a foreign key column."""

    model: type[EditorialMixin]
    column: str

    def apply(self, session: Session, item: Any, name: str, value: Any) -> None:
        ids = resolve_ids(session, self.model, [value] if value else [], field=name)
        setattr(item, self.column, ids[0] if ids else None)

    def read(self, session: Session, item: Any, name: str) -> Any:
        ref_id = getattr(item, self.column)
        if ref_id is None:
            return None
        return session.scalar(select(self.model.slug).where(self.model.id == ref_id))


@dataclass(frozen=True)
class SlugRefList(FieldMapping):
    """Many references given by slugs, stored in a link table."""

    model: type[EditorialMixin]

    def apply(self, session: Session, item: Any, name: str, value: Any) -> None:
        ids = resolve_ids(session, self.model, list(value), field=name)
        objects = {
            obj.id: obj for obj in session.scalars(select(self.model).where(self.model.id.in_(ids)))
        }
        setattr(item, name, [objects[i] for i in ids])

    def read(self, session: Session, item: Any, name: str) -> Any:
        # Link tables keep no order, so the document lists them by slug.
        return sorted(ref.slug for ref in getattr(item, name))

    def load(self, model: Any, name: str) -> list[ExecutableOption]:
        return [selectinload(getattr(model, name))]

    def normalize(self, value: Any) -> Any:
        return sorted(set(value))


Row = dict[str, Any]


@dataclass(frozen=True)
class ChildRows(FieldMapping):
    """Owned rows rebuilt from the input list (tags, conditions, route notes).

    `build` gives each row's column values (without the owner's key), so a
    bulk import can insert them as they are; `apply` makes them ORM objects.
    """

    relationship: str
    build: Callable[[Session, list[Any]], list[Row]]
    dump: Callable[[Session, list[Any]], list[Any]]
    unordered: bool = False  # stored as a set (tags): the document lists it sorted

    def child_model(self, model: Any) -> type[Base]:
        child: type[Base] = inspect(model).relationships[self.relationship].mapper.class_
        return child

    def apply(self, session: Session, item: Any, name: str, value: Any) -> None:
        child = self.child_model(type(item))
        rows = self.build(session, list(value))
        setattr(item, self.relationship, [child(**row) for row in rows])

    def read(self, session: Session, item: Any, name: str) -> Any:
        return self.dump(session, list(getattr(item, self.relationship)))

    def load(self, model: Any, name: str) -> list[ExecutableOption]:
        return [selectinload(getattr(model, self.relationship))]

    def normalize(self, value: Any) -> Any:
        if all(isinstance(v, str) for v in value):
            unique = list(dict.fromkeys(value))
            return sorted(unique) if self.unordered else unique
        return value


def _route_rows(session: Session, values: list[dict[str, Any]]) -> list[Row]:
    ids = resolve_ids(
        session, AdministrationRoute, [v["route"] for v in values], field="administration_routes"
    )
    return [
        {"route_id": route_id, "position": i, "notes": v.get("notes") or ""}
        for i, (route_id, v) in enumerate(zip(ids, values, strict=True))
    ]


def _route_values(session: Session, rows: list[Any]) -> list[Any]:
    ids = [row.route_id for row in rows]
    slugs = dict(
        session.execute(
            select(AdministrationRoute.id, AdministrationRoute.slug).where(
                AdministrationRoute.id.in_(ids)
            )
        ).all()
    )
    ordered = sorted(rows, key=lambda row: row.position)
    return [{"route": slugs[row.route_id], "notes": row.notes} for row in ordered]


def _condition_values(session: Session, rows: list[Any]) -> list[Any]:
    return [{"slug": r.slug, "name": r.name} for r in sorted(rows, key=lambda r: r.position)]


def _tag_values(session: Session, rows: list[Any]) -> list[Any]:
    return sorted(row.tag for row in rows)


def _specialty_values(session: Session, rows: list[Any]) -> list[Any]:
    return [row.specialty for row in sorted(rows, key=lambda r: r.position)]


def _language_values(session: Session, rows: list[Any]) -> list[Any]:
    return [row.language for row in sorted(rows, key=lambda r: r.position)]


def _condition_rows(session: Session, values: list[dict[str, Any]]) -> list[Row]:
    return [{"slug": v["slug"], "name": v["name"], "position": i} for i, v in enumerate(values)]


def _tag_rows(session: Session, values: list[str]) -> list[Row]:
    return [{"tag": tag} for tag in dict.fromkeys(values)]


def _specialty_rows(session: Session, values: list[str]) -> list[Row]:
    return [{"specialty": v, "position": i} for i, v in enumerate(dict.fromkeys(values))]


def _language_rows(session: Session, values: list[str]) -> list[Row]:
    return [{"language": v, "position": i} for i, v in enumerate(dict.fromkeys(values))]


TextFields = dict[str, tuple[str, ...]]
"""Translatable input fields of a kind: name -> text sub-keys.

An empty tuple means the whole value is text (a string or a list of
strings). Sub-keys name the text keys of an object (`schedule`) or of each
object in a list (`sections`); their other keys (a route's slug, a schedule's
frequencies) are shared by every locale, and list entries are matched by
position.
"""


@dataclass(frozen=True)
class Kind:
    """One resource kind: its URL name, table, schemas and field mappings.

    `list_schema` with `list_options` is the public list representation
    (also what the sync feed sends); `text_fields` is what a translation holds.
    `create_schema` is the stored document; `write_schema`, when set, is the
    narrower body an editor may send (reviewed kinds: without review metadata,
    which only the review action sets).
    """

    path: str
    name: str
    model: type[EditorialMixin]
    create_schema: type[BaseModel]
    read_schema: type[BaseModel]
    fields: dict[str, FieldMapping] = field(default_factory=dict)
    list_schema: type[BaseModel] | None = None
    list_options: tuple[ExecutableOption, ...] = ()
    text_fields: TextFields = field(default_factory=dict)
    reviewed: bool = False  # carries clinical review metadata; publishing needs a review
    # Reviewed kinds: the fields a clinical review approves; changing any of
    # them after a review clears it (app.services.editorial.review).
    reviewed_fields: tuple[str, ...] = ()
    singleton: bool = False  # one row per deployment, addressed without a slug
    write_schema: type[BaseModel] | None = None

    @property
    def body_schema(self) -> type[BaseModel]:
        """What create and PATCH accept."""
        return self.write_schema or self.create_schema

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")

    def load_options(self) -> list[ExecutableOption]:
        """Everything needed to turn an item of this kind back into its document."""
        return [
            option
            for name, mapping in self.fields.items()
            for option in mapping.load(self.model, name)
        ]

    @property
    def list_representation(self) -> type[BaseModel]:
        return self.list_schema or self.read_schema


NAME_AND_DESCRIPTION: TextFields = {"name": (), "description": ()}

KINDS: dict[str, Kind] = {
    kind.path: kind
    for kind in (
        Kind("treatment-types", "treatment_type", TreatmentType, TreatmentTypeCreate,
             TreatmentTypeDetail, {"parent": SlugRef(TreatmentType, "parent_id")},
             TreatmentTypeRead,
             (joinedload(TreatmentType.parent), selectinload(TreatmentType.children)),
             NAME_AND_DESCRIPTION),
        Kind("administration-routes", "administration_route", AdministrationRoute,
             AdministrationRouteCreate, AdministrationRouteDetail,
             {"parent": SlugRef(AdministrationRoute, "parent_id")}, AdministrationRouteRead,
             (joinedload(AdministrationRoute.parent), selectinload(AdministrationRoute.children)),
             NAME_AND_DESCRIPTION),
        Kind("treatments", "treatment", Treatment, TreatmentDocument, TreatmentDetail, {
            "type": SlugRef(TreatmentType, "type_id"),
            "administration_routes": ChildRows("route_links", _route_rows, _route_values),
            "conditions": ChildRows("conditions", _condition_rows, _condition_values),
        }, TreatmentRead, (
            joinedload(Treatment.type),
            selectinload(Treatment.route_links).joinedload(TreatmentRoute.route),
            selectinload(Treatment.conditions),
        ), {
            "title": (), "summary": (), "sections": ("heading", "body"),
            "administration_routes": ("notes",), "schedule": ("rest_periods", "notes"),
            "duration_factors": (), "follow_up": ("summary", "checks"),
            "comparisons": ("compared_with", "summary"), "conditions": ("name",),
            "sources": ("title",),
        }, reviewed=True, write_schema=TreatmentCreate, reviewed_fields=(
            "title", "summary", "type", "sections", "administration_routes", "schedule",
            "duration_factors", "follow_up", "comparisons", "conditions", "sources",
        )),
        Kind("faqs", "faq", Faq, FaqDocument, FaqRead, {
            "treatment": SlugRef(Treatment, "treatment_id"),
            "tags": ChildRows("tag_rows", _tag_rows, _tag_values, unordered=True),
        }, FaqRead, (selectinload(Faq.tag_rows), joinedload(Faq.treatment)),
            {"question": (), "answer": ()}, reviewed=True, write_schema=FaqCreate,
            reviewed_fields=("question", "answer", "treatment")),
        Kind("clinics", "clinic", Clinic, ClinicCreate, ClinicDetail,
             {"treatments": SlugRefList(Treatment)}, ClinicRead,
             (selectinload(Clinic.doctors), selectinload(Clinic.treatments)),
             NAME_AND_DESCRIPTION),
        Kind("doctors", "doctor", Doctor, DoctorCreate, DoctorDetail, {
            "specialties": ChildRows("specialty_rows", _specialty_rows, _specialty_values),
            "languages": ChildRows("language_rows", _language_rows, _language_values),
            "clinics": SlugRefList(Clinic),
            "treatments": SlugRefList(Treatment),
        }, DoctorRead, (
            selectinload(Doctor.specialty_rows), selectinload(Doctor.language_rows),
            selectinload(Doctor.clinics), selectinload(Doctor.treatments),
        ), {"name": (), "honorific": (), "specialties": (), "qualifications": (), "bio": ()}),
        Kind("media", "media", Media, MediaCreate, MediaRead, {
            "treatments": SlugRefList(Treatment),
            "doctors": SlugRefList(Doctor),
            "clinics": SlugRefList(Clinic),
        }, MediaRead, (
            selectinload(Media.treatments), selectinload(Media.doctors),
            selectinload(Media.clinics),
        ), {"title": (), "description": ()}),
        Kind("organization", "organization", Organization, OrganizationCreate, OrganizationRead,
             {}, OrganizationRead, (), {
                 "name": (), "content_licence": (), "attribution": (),
                 "address": ("street", "locality", "region", "country"),
             }, singleton=True),
    )
}  # fmt: skip

KINDS_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS.values()}
KINDS_BY_MODEL: dict[type[EditorialMixin], Kind] = {kind.model: kind for kind in KINDS.values()}

PLAIN = FieldMapping()


KIND_PATHS_PATTERN = "^(?:{0})(?:,(?:{0}))*$".format("|".join(sorted(KINDS)))


def parse_kind_paths(value: str | None, *, param: str = "kinds") -> list[Kind] | None:
    """`faqs,treatments` -> kinds (None when absent); an unknown name is a 400 naming it.

    Accepted: exactly KIND_PATHS_PATTERN, which the OpenAPI document publishes.
    """
    if value is None:
        return None
    names = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in KINDS]
    if not unknown and not re.fullmatch(KIND_PATHS_PATTERN, value):
        unknown = [value]
    if unknown or not names:
        raise BadRequest(
            f"Unknown kind(s) in {param}: {', '.join(unknown) or '(none given)'}. "
            f"Known: {', '.join(KINDS)}.",
            errors=[{"field": param, "message": f"unknown kind {name!r}"} for name in unknown]
            or [{"field": param, "message": "no kind given"}],
        )
    return [KINDS[name] for name in names]


def mapping_for(kind: Kind, name: str) -> FieldMapping:
    return kind.fields.get(name, PLAIN)
