"""Bulk export: every content item, with its pending draft, translations and
revisions, as JSON Lines (docs/export-format.md).

The output is a pure function of the stored content, so export -> wipe ->
import -> export gives the same bytes on either engine: keys are sorted,
timestamps have one fixed format, kinds come in dependency order and items
by id (parents first within a kind that nests). It is streamed in batches,
so the file is never held in memory.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

import orjson
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.content.entry import Kind, mapping_for
from app.content.field_mappings import SlugRef
from app.content.lookups import EXPORT_KINDS
from app.services.transfer.export_state import (
    REVISION_ENVELOPE,
    TRANSLATION_ENVELOPE,
    dump,
    extra_columns,
    item_state_columns,
    timestamp,
)
from models import Revision, Translation
from models.base import EditorialMixin

FORMAT = "treatment-content-export"
# 2: translations carry their pending `draft`; items, translations and
# revisions carry `state`, every column no other key covers. 3: conditions are
# items of their own, no longer part of a treatment's document. Import reads
# 1 and 2 too (app/services/transfer/legacy_conditions.py).
VERSION = 3
SUPPORTED_VERSIONS = (1, 2, 3)
BATCH_SIZE = 500
# Not exported, on purpose (docs/export-format.md says why, and
# tests/services/transfer/test_export_tables.py holds every other table to a full round trip):
# key hashes are credentials; the audit log records what happened on this
# deployment (import writes its own entry); the search index and the sync
# change log are rebuilt from the content on import.
EXCLUDED = ["api_key", "audit_event", "change_log", "search_document"]
TRANSLATION_STATE = extra_columns(cast(Table, Translation.__table__), envelope=TRANSLATION_ENVELOPE)
REVISION_STATE = extra_columns(cast(Table, Revision.__table__), envelope=REVISION_ENVELOPE)


def line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n"


def use_snapshot(session: Session) -> None:
    """Read every batch from one snapshot (SQLite's read transaction already is one)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def self_reference(kind: Kind) -> SlugRef | None:
    """The `parent` mapping of a kind that nests (types, routes), if any."""
    for mapping in kind.fields.values():
        if isinstance(mapping, SlugRef) and mapping.model is kind.model:
            return mapping
    return None


def manifest(session: Session) -> dict[str, Any]:
    counts: dict[str, int] = {}
    latest: list[datetime] = []
    for kind in EXPORT_KINDS:
        count, newest = session.execute(select(func.count(), func.max(kind.model.updated_at))).one()
        counts[kind.name] = count
        if newest is not None:
            latest.append(newest)
    return {
        "type": "manifest",
        "format": FORMAT,
        "version": VERSION,
        "kinds": [kind.name for kind in EXPORT_KINDS],
        "counts": counts,
        "as_of": timestamp(max(latest)) if latest else None,
        "excluded": EXCLUDED,
    }


def _id_batches(session: Session, kind: Kind) -> Iterator[list[str]]:
    model = kind.model
    parent = self_reference(kind)
    if parent is not None:
        # Small trees: parents before children, so an import never meets a
        # reference to an item further down the file.
        rows: dict[str, str | None] = dict(
            session.execute(select(model.id, getattr(model, parent.column))).all()
        )
        depth: dict[str, int] = {}

        def depth_of(item_id: str) -> int:
            if item_id not in depth:
                parent_id = rows.get(item_id)
                depth[item_id] = 0 if parent_id is None else depth_of(parent_id) + 1
            return depth[item_id]

        ordered = sorted(rows, key=lambda item_id: (depth_of(item_id), item_id))
        for start in range(0, len(ordered), BATCH_SIZE):
            yield ordered[start : start + BATCH_SIZE]
        return
    after = ""
    while True:
        ids = list(
            session.scalars(
                select(model.id).where(model.id > after).order_by(model.id).limit(BATCH_SIZE)
            )
        )
        if not ids:
            return
        yield ids
        after = ids[-1]


def _slug_maps(
    session: Session, kind: Kind, items: Sequence[EditorialMixin]
) -> dict[str, dict[str, str]]:
    """Referenced slugs for the batch in one query per reference field."""
    maps: dict[str, dict[str, str]] = {}
    for name, mapping in kind.fields.items():
        if isinstance(mapping, SlugRef):
            ids = {getattr(item, mapping.column) for item in items} - {None}
            maps[name] = dict(
                session.execute(
                    select(mapping.model.id, mapping.model.slug).where(mapping.model.id.in_(ids))
                ).all()
            )
    return maps


def _document(
    session: Session, kind: Kind, item: EditorialMixin, slugs: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """`app.content.input_documents.document`, with the batch's slug lookups done up front."""
    result: dict[str, Any] = {}
    for name in kind.create_schema.model_fields:
        mapping = mapping_for(kind, name)
        if isinstance(mapping, SlugRef):
            ref_id = getattr(item, mapping.column)
            result[name] = None if ref_id is None else slugs[name][ref_id]
        else:
            result[name] = mapping.read(session, item, name)
    return result


def _translations(session: Session, kind: Kind, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    rows = session.scalars(
        select(Translation).where(Translation.kind == kind.name, Translation.item_id.in_(ids))
    )
    for row in rows:
        found.setdefault(row.item_id, {})[row.locale] = {
            "data": row.data,
            "draft": row.draft,
            "version": row.version,
            "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at),
            "state": dump(row, columns=TRANSLATION_STATE),
        }
    return found


def _revisions(session: Session, kind: Kind, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    rows = session.scalars(
        select(Revision)
        .where(Revision.kind == kind.name, Revision.item_id.in_(ids))
        .order_by(Revision.item_id, Revision.number)
    )
    for row in rows:
        found.setdefault(row.item_id, []).append(
            {
                "id": row.id,
                "number": row.number,
                "action": row.action,
                "status": row.status,
                "version": row.version,
                "actor": row.actor,
                "created_at": timestamp(row.created_at),
                "snapshot": row.snapshot,
                "diff": row.diff,
                "state": dump(row, columns=REVISION_STATE),
            }
        )
    return found


def item_records(session: Session, *, kind: Kind) -> Iterator[dict[str, Any]]:
    model = kind.model
    for ids in _id_batches(session, kind):
        stmt = select(model).where(model.id.in_(ids)).options(*kind.load_options())
        by_id = {item.id: item for item in session.scalars(stmt).unique()}
        items = [by_id[item_id] for item_id in ids]
        slugs = _slug_maps(session, kind, items)
        translations = _translations(session, kind, ids)
        revisions = _revisions(session, kind, ids)
        state = item_state_columns(kind)
        for item in items:
            yield {
                "type": "item",
                "kind": kind.name,
                "id": item.id,
                "slug": item.slug,
                "status": str(item.status),
                "version": item.version,
                "created_at": timestamp(item.created_at),
                "updated_at": timestamp(item.updated_at),
                "deleted_at": timestamp(item.deleted_at),
                "publish_at": timestamp(item.publish_at),
                "unpublish_at": timestamp(item.unpublish_at),
                "document": _document(session, kind, item, slugs),
                "draft": item.draft,
                "readability": item.readability,
                "translations": translations.get(item.id, {}),
                "revisions": revisions.get(item.id, []),
                "state": dump(item, columns=state),
            }
        session.expunge_all()  # keep memory flat however large the export


def export_lines(session: Session) -> Iterator[bytes]:
    """The whole export, one encoded line at a time: the manifest, then items."""
    use_snapshot(session)
    yield line(manifest(session))
    for kind in EXPORT_KINDS:
        for record in item_records(session, kind=kind):
            yield line(record)
