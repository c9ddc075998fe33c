"""Checking one line of an export file, up to the rows it would store.

Every record goes through the same validation as the API: the document and
any pending draft through the kind's Create schema, translations through
`translation.clean_patch`, references through the registry's mappings. A
record that fails is rejected with its line and reason; nothing of it is
written.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.input_documents import as_document, validate_document
from app.content.kinds import KINDS_BY_NAME
from app.content.lookups import EXPORT_KINDS
from app.errors import AppError, ValidationFailed
from app.schemas.export import ItemRecord
from app.services.editorial.translations import clean_patch
from app.services.transfer.export import REVISION_STATE, TRANSLATION_STATE
from app.services.transfer.export_state import BadValue, item_state_columns, load
from app.services.transfer.import_rows import PreparedItem, RefCache, field_rows
from app.text import readability
from app.text.language_tags import canonical, is_locale


class ImportMode(StrEnum):
    create = "create"  # an id that is already stored is rejected
    upsert = "upsert"  # an id that is already stored is replaced, history and all


@dataclass(frozen=True)
class Rejection:
    line: int
    label: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.label}: {self.reason}"


class Rejected(Exception):
    """One record cannot be imported; the message is the reason."""


def reason(exc: AppError) -> str:
    details = "; ".join(f"{e['field']}: {e['message']}" for e in (exc.errors or [])[:5])
    return f"{exc.detail} ({details})" if details else exc.detail


def pydantic_reason(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}"
        for err in exc.errors()[:5]
    )


def parse_line(number: int, *, raw: bytes) -> tuple[Kind, ItemRecord] | Rejection:
    """The record's envelope, or why it is not one."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Rejection(number, "record", f"not valid JSON: {exc}")
    if not isinstance(data, dict):
        return Rejection(number, "record", "not a JSON object")
    label = f"{data.get('kind')}/{data.get('slug')}"
    if data.get("type") != "item":
        return Rejection(number, label, f"unknown record type {data.get('type')!r}")
    kind = KINDS_BY_NAME.get(str(data.get("kind")))
    if kind is None or not kind.exported:
        known = ", ".join(kind.name for kind in EXPORT_KINDS)
        return Rejection(number, label, f"unknown kind {data.get('kind')!r}; known: {known}")
    try:
        return kind, ItemRecord.model_validate(data)
    except ValidationError as exc:
        return Rejection(number, label, pydantic_reason(exc))


def _validated(kind: Kind, document: dict[str, Any], what: str) -> BaseModel:
    try:
        return validate_document(kind, document)
    except ValidationFailed as exc:
        raise Rejected(f"{what}: {reason(exc)}") from exc


def _translations(kind: Kind, record: ItemRecord, own_locale: str) -> list[dict[str, Any]]:
    rows = []
    for locale, translation in sorted(record.translations.items()):
        if not is_locale(locale) or canonical(locale) != locale:
            raise Rejected(f"translations: {locale!r} is not a canonical locale tag")
        if locale == canonical(own_locale):
            raise Rejected(f"translations: {locale!r} is the item's own locale")
        try:
            cleaned = clean_patch(kind, patch=translation.data)
            draft = (
                None if translation.draft is None else clean_patch(kind, patch=translation.draft)
            )
        except ValidationFailed as exc:
            raise Rejected(f"translations.{locale}: {reason(exc)}") from exc
        rows.append(
            {"kind": kind.name, "item_id": record.id, "locale": locale,
             "data": {k: v for k, v in cleaned.items() if v is not None},
             "draft": None if draft is None else {k: v for k, v in draft.items() if v is not None},
             "version": translation.version, "created_at": translation.created_at,
             "updated_at": translation.updated_at,
             **_state(f"translations.{locale}.state", translation.state, TRANSLATION_STATE)}
        )  # fmt: skip
    return rows


def _state(where: str, values: dict[str, Any], columns: list[Any]) -> dict[str, Any]:
    try:
        return load(values, columns=columns)
    except BadValue as exc:
        raise Rejected(f"{where}: {exc}") from exc


def _legacy_document(kind: Kind, record: ItemRecord) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document and state of a record, with state columns a document names moved over.

    A version 1 file wrote every column through the document; a column that
    has since left the Create schema (and so lands in `state`) is still read.
    """
    state_keys = {column.key for column in item_state_columns(kind)}
    fields = kind.create_schema.model_fields
    document = dict(record.document)
    state = dict(record.state)
    for key in [k for k in document if k not in fields and k in state_keys]:
        state.setdefault(key, document.pop(key))
    return document, state


def _revisions(kind: Kind, record: ItemRecord) -> list[dict[str, Any]]:
    numbers = [revision.number for revision in record.revisions]
    if len(set(numbers)) != len(numbers):
        raise Rejected("revisions: a revision number appears twice")
    rows = []
    for revision in record.revisions:
        values = revision.model_dump(exclude={"state"})
        state = _state(f"revisions.{revision.number}.state", revision.state, REVISION_STATE)
        rows.append(
            {**values, **state, "kind": kind.name, "item_id": record.id, "api_key_id": None}
        )
    return rows


def prepare(
    session: Session,
    *,
    kind: Kind,
    line: int,
    record: ItemRecord,
    refs: RefCache,
    mode: ImportMode,
) -> PreparedItem:
    """The rows for one record, or Rejected; checks the database through `refs`."""
    document, state = _legacy_document(kind, record)
    payload = _validated(kind, document, "document")
    slug = str(getattr(payload, "slug"))  # noqa: B009 - every Create schema has one
    if slug != record.slug:
        raise Rejected(f"slug {record.slug!r} differs from the document's {slug!r}")
    stored_slug = refs.slug_of(session, model=kind.model, item_id=record.id)
    if stored_slug is not None and mode is ImportMode.create:
        raise Rejected(f"id {record.id} is already stored; import with --mode upsert to replace it")
    holder = refs.id_of(session, model=kind.model, slug=slug)
    if holder is not None and holder != record.id:
        raise Rejected(f"slug {slug!r} belongs to another {kind.label} (id {holder})")
    if kind.singleton:
        other = refs.any_id(session, model=kind.model)
        if other is not None and other != record.id:
            raise Rejected(f"this deployment already has its {kind.label} (id {other})")
    try:
        row, children = field_rows(
            session, kind=kind, item_id=record.id, payload=payload, refs=refs
        )
    except ValidationFailed as exc:
        raise Rejected(f"document: {reason(exc)}") from exc
    draft = None
    if record.draft is not None:
        draft = as_document(kind, _validated(kind, record.draft, "draft"))
    grades = record.readability
    if grades is None:
        grades = readability.grade_document(draft or as_document(kind, payload))
    row.update(
        id=record.id, status=record.status, version=record.version,
        created_at=record.created_at, updated_at=record.updated_at,
        deleted_at=record.deleted_at, publish_at=record.publish_at,
        unpublish_at=record.unpublish_at, draft=draft, readability=grades,
        readability_grade=max(grades.values()) if grades else None,
        **_state("state", state, item_state_columns(kind)),
    )  # fmt: skip
    return PreparedItem(
        line=line,
        label=f"{kind.name}/{slug}",
        kind=kind,
        item_id=record.id,
        slug=slug,
        existing=stored_slug is not None,
        row=row,
        children=children,
        revisions=_revisions(kind, record),
        translations=_translations(kind, record, str(getattr(payload, "locale", "en"))),
    )
