"""How a kind's input fields are stored and read back, one mapping per field.

An input document (the Create schema's shape) and the stored rows differ:
references are slugs in the document and ids in the tables, lists become
child rows. Each mapping turns one field into storage and back, so create,
PATCH, revisions, export and import share one definition per field.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.errors import ValidationFailed
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


def _value_rows(column: str, ordered: bool, session: Session, values: list[Any]) -> list[Row]:
    unique = dict.fromkeys(values)
    if ordered:
        return [{column: v, "position": i} for i, v in enumerate(unique)]
    return [{column: v} for v in unique]


def _value_dump(column: str, ordered: bool, session: Session, rows: list[Any]) -> list[Any]:
    if ordered:
        return [getattr(r, column) for r in sorted(rows, key=lambda r: r.position)]
    return sorted(getattr(r, column) for r in rows)


def value_rows(relationship: str, column: str, *, ordered: bool = True) -> ChildRows:
    """A list of strings kept as one child row each (`specialties`, `tags`).

    Duplicates are dropped; `ordered=False` stores a set, which reads back sorted.
    """
    return ChildRows(
        relationship=relationship,
        build=partial(_value_rows, column, ordered),
        dump=partial(_value_dump, column, ordered),
        unordered=not ordered,
    )


def _object_rows(keys: tuple[str, ...], session: Session, values: list[Any]) -> list[Row]:
    return [{**{k: v[k] for k in keys}, "position": i} for i, v in enumerate(values)]


def _object_dump(keys: tuple[str, ...], session: Session, rows: list[Any]) -> list[Any]:
    return [{k: getattr(r, k) for k in keys} for r in sorted(rows, key=lambda r: r.position)]


def object_rows(relationship: str, keys: tuple[str, ...]) -> ChildRows:
    """A list of objects kept in order as child rows, one column per key (`conditions`)."""
    return ChildRows(
        relationship=relationship,
        build=partial(_object_rows, keys),
        dump=partial(_object_dump, keys),
    )


def _ref_rows(spec: "RefRowSpec", session: Session, values: list[dict[str, Any]]) -> list[Row]:
    ids = resolve_ids(session, spec.model, [v[spec.key] for v in values], field=spec.field)
    return [
        {spec.column: ref_id, "position": i, **{k: v.get(k) or "" for k in spec.extra}}
        for i, (ref_id, v) in enumerate(zip(ids, values, strict=True))
    ]


def _ref_dump(spec: "RefRowSpec", session: Session, rows: list[Any]) -> list[Any]:
    ids = [getattr(row, spec.column) for row in rows]
    model = spec.model
    slugs = dict(session.execute(select(model.id, model.slug).where(model.id.in_(ids))).all())
    return [
        {spec.key: slugs[getattr(row, spec.column)], **{k: getattr(row, k) for k in spec.extra}}
        for row in sorted(rows, key=lambda row: row.position)
    ]


@dataclass(frozen=True)
class RefRowSpec:
    model: type[EditorialMixin]
    field: str  # the input field, named in the 422 for an unknown slug
    key: str  # the key holding the slug in each input object
    column: str  # the child row's foreign key column
    extra: tuple[str, ...]  # further keys stored as text columns of the same name


def ref_rows(
    relationship: str,
    *,
    model: type[EditorialMixin],
    field: str,
    key: str,
    column: str,
    extra: tuple[str, ...] = (),
) -> ChildRows:
    """Ordered objects that each name an item of another kind by slug, plus text keys
    (a treatment's `administration_routes`: `{"route": slug, "notes": text}`)."""
    spec = RefRowSpec(model, field, key, column, extra)
    return ChildRows(
        relationship=relationship, build=partial(_ref_rows, spec), dump=partial(_ref_dump, spec)
    )


PLAIN = FieldMapping()


TextFields = dict[str, tuple[str, ...]]
"""Translatable input fields of a kind: name -> text sub-keys.

An empty tuple means the whole value is text (a string or a list of
strings). Sub-keys name the text keys of an object (`schedule`) or of each
object in a list (`sections`); their other keys (a route's slug, a schedule's
frequencies) are shared by every locale, and list entries are matched by
position.
"""
