"""One validated export record as table rows, built through the kinds registry,
and many such records written with set-based statements.

The rows are what `content.create` plus the field mappings' `apply` would
store (the same `model_dump()` of the Create schema, the same child-row
builders), written as a few multi-row INSERTs per batch instead of one ORM
unit of work per item: that is what lets 100,000 items import in seconds.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import Table, delete, insert, inspect, select, update
from sqlalchemy.orm import Session

from app.content.entry import Kind, mapping_for
from app.content.field_mappings import ChildRows, SlugRef, SlugRefList
from app.errors import ValidationFailed
from models import Revision, Translation
from models.base import EditorialMixin

REVISION = cast(Table, Revision.__table__)
TRANSLATION = cast(Table, Translation.__table__)


class RefCache:
    """slug <-> id of every model an import touches, read once and kept in step with it.

    Resolving each item's references with its own query would cost more than
    writing the item; the cache makes them dictionary lookups.
    """

    def __init__(self) -> None:
        self._ids: dict[type[EditorialMixin], dict[str, str]] = {}
        self._slugs: dict[type[EditorialMixin], dict[str, str]] = {}

    def _load(self, session: Session, model: type[EditorialMixin]) -> dict[str, str]:
        if model not in self._ids:
            pairs = session.execute(select(model.slug, model.id)).all()
            self._ids[model] = {slug: item_id for slug, item_id in pairs}
            self._slugs[model] = {item_id: slug for slug, item_id in pairs}
        return self._ids[model]

    def id_of(self, session: Session, *, model: type[EditorialMixin], slug: str) -> str | None:
        return self._load(session, model).get(slug)

    def slug_of(self, session: Session, *, model: type[EditorialMixin], item_id: str) -> str | None:
        self._load(session, model)
        return self._slugs[model].get(item_id)

    def any_id(self, session: Session, *, model: type[EditorialMixin]) -> str | None:
        return next(iter(self._load(session, model).values()), None)

    def ids(
        self, session: Session, *, model: type[EditorialMixin], slugs: Sequence[str], name: str
    ) -> list[str]:
        """Like `app.content.kinds.resolve_ids`: an unknown slug fails naming the field."""
        known = self._load(session, model)
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            table = inspect(model).local_table.name
            raise ValidationFailed(
                f"{name} names unknown item(s): {', '.join(missing)}",
                errors=[{"field": name, "message": f"no {table} {s!r}"} for s in missing],
            )
        return [known[slug] for slug in slugs]

    def add(
        self, session: Session, *, model: type[EditorialMixin], slug: str, item_id: str
    ) -> None:
        """Record a written item; an upsert that renamed it frees its old slug."""
        self._load(session, model)
        old = self._slugs[model].pop(item_id, None)
        if old is not None:
            self._ids[model].pop(old, None)
        self._ids[model][slug] = item_id
        self._slugs[model][item_id] = slug

    def clear(self) -> None:
        self._ids.clear()
        self._slugs.clear()


@dataclass(frozen=True)
class Owned:
    """Rows of `table` that belong to an item through the column `parent`."""

    table: Table
    parent: str


@dataclass
class PreparedItem:
    line: int
    label: str  # "faq/how-long", for messages
    kind: Kind
    item_id: str
    slug: str
    existing: bool  # upsert: the id is already stored
    row: dict[str, Any]
    children: dict[Owned, list[dict[str, Any]]] = field(default_factory=dict)
    revisions: list[dict[str, Any]] = field(default_factory=list)
    translations: list[dict[str, Any]] = field(default_factory=list)


_OWNED: dict[str, dict[str, Owned]] = {}


def owned_tables(kind: Kind) -> dict[str, Owned]:
    """Each link-table or child-row field of the kind, with the table it fills."""
    if kind.name not in _OWNED:
        _OWNED[kind.name] = _find_owned(kind)
    return _OWNED[kind.name]


def _find_owned(kind: Kind) -> dict[str, Owned]:
    relationships = inspect(kind.model).relationships
    found: dict[str, Owned] = {}
    for name, mapping in kind.fields.items():
        if isinstance(mapping, SlugRefList):
            rel = relationships[name]
            found[name] = Owned(cast(Table, rel.secondary), rel.synchronize_pairs[0][1].key)
        elif isinstance(mapping, ChildRows):
            rel = relationships[mapping.relationship]
            table = cast(Table, rel.mapper.local_table)
            found[name] = Owned(table, rel.synchronize_pairs[0][1].key)
    return found


def _child_row(owned: Owned, item_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """A built child row made whole: the owner's id, and scalar defaults for the rest."""
    row: dict[str, Any] = {}
    for column in owned.table.columns:
        if column.key == owned.parent:
            row[column.key] = item_id
        elif column.key in values:
            row[column.key] = values[column.key]
        else:
            default = column.default
            row[column.key] = getattr(default, "arg", None) if default is not None else None
    return row


def field_rows(
    session: Session, *, kind: Kind, item_id: str, payload: BaseModel, refs: RefCache
) -> tuple[dict[str, Any], dict[Owned, list[dict[str, Any]]]]:
    """The kind's own columns and its owned rows for one validated document."""
    owned = owned_tables(kind)
    relationships = inspect(kind.model).relationships
    row: dict[str, Any] = {}
    children: dict[Owned, list[dict[str, Any]]] = {}
    for name, value in payload.model_dump().items():
        mapping = mapping_for(kind, name)
        if isinstance(mapping, SlugRef):
            ids = refs.ids(session, model=mapping.model, slugs=[value] if value else [], name=name)
            row[mapping.column] = ids[0] if ids else None
        elif isinstance(mapping, SlugRefList):
            target = relationships[name].secondary_synchronize_pairs[0][1].key
            ref_ids = refs.ids(session, model=mapping.model, slugs=list(value), name=name)
            children[owned[name]] = [
                {owned[name].parent: item_id, target: ref_id} for ref_id in ref_ids
            ]
        elif isinstance(mapping, ChildRows):
            built = mapping.build(session, list(value))
            children[owned[name]] = [_child_row(owned[name], item_id, row) for row in built]
        else:
            row[name] = value
    return row, children


def _table(kind: Kind) -> Table:
    return cast(Table, inspect(kind.model).local_table)


def store(session: Session, *, kind: Kind, items: Sequence[PreparedItem]) -> None:
    """Write prepared items of one kind: new ones inserted, existing ones replaced whole."""
    table = _table(kind)
    replaced = [p.item_id for p in items if p.existing]
    if replaced:
        for prepared in items:
            if prepared.existing:
                session.execute(
                    update(table).where(table.c.id == prepared.item_id).values(**prepared.row)
                )
        for owned in owned_tables(kind).values():
            session.execute(delete(owned.table).where(owned.table.c[owned.parent].in_(replaced)))
        for history in (REVISION, TRANSLATION):
            session.execute(
                delete(history).where(history.c.kind == kind.name, history.c.item_id.in_(replaced))
            )
    new_rows = [p.row for p in items if not p.existing]
    if new_rows:
        session.execute(insert(table), new_rows)
    by_table: dict[Owned, list[dict[str, Any]]] = {}
    for prepared in items:
        for owned, rows in prepared.children.items():
            by_table.setdefault(owned, []).extend(rows)
    for owned, rows in by_table.items():
        if rows:
            session.execute(insert(owned.table), rows)
    revisions = [row for p in items for row in p.revisions]
    if revisions:
        session.execute(insert(REVISION), revisions)
    translations = [row for p in items for row in p.translations]
    if translations:
        session.execute(insert(TRANSLATION), translations)
