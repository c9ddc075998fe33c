"""Columns an export carries as they are, because no document or envelope key does.

An item's `document` covers what the Create schema writes and the envelope
covers identity, workflow and schedule; anything else a table holds (review
bookkeeping a migration adds, a field that left the Create schema) would be
lost by a backup unless someone remembered to add it here. So the leftover
columns are found by walking the table, not listed: a new column is exported
the day it is added, and `tests/services/transfer/test_export_tables.py` fails if it is not.

Values are JSON: timestamps in the export's one format, dates as
`YYYY-MM-DD`, enums as their value. Import checks each value against its
column's type before storing it.
"""

import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import JSON, Column, Enum, String, Table, inspect

from app.content.entry import Kind, mapping_for
from app.content.field_mappings import SlugRef, SlugRefList

# Item columns the record envelope names itself (readability_grade is derived
# from `readability` on import).
ITEM_ENVELOPE = frozenset(
    {
        "id", "slug", "status", "version", "created_at", "updated_at", "deleted_at",
        "publish_at", "unpublish_at", "draft", "readability", "readability_grade",
    }
)  # fmt: skip
# Translation columns with their own keys: the row's identity (`id` is a
# surrogate key; kind, item and locale say which translation it is) and text.
TRANSLATION_ENVELOPE = frozenset(
    {"id", "kind", "item_id", "locale", "data", "draft", "version", "created_at", "updated_at"}
)
# `api_key_id` is left out with the keys themselves; `actor` names who it was.
REVISION_ENVELOPE = frozenset(
    {"id", "kind", "item_id", "number", "action", "status", "version", "actor", "api_key_id",
     "created_at", "snapshot", "diff"}
)  # fmt: skip


class BadValue(ValueError):
    """A state value that does not fit its column; the message says which."""


def timestamp(value: datetime | None) -> str | None:
    """One format on both engines: UTC, microseconds, `Z`."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def document_columns(kind: Kind) -> set[str]:
    """The kind's own columns that its document writes (links and child rows live elsewhere)."""
    written: set[str] = set()
    for name in kind.create_schema.model_fields:
        mapping = mapping_for(kind, name)
        if isinstance(mapping, SlugRef):
            written.add(mapping.column)
        elif not isinstance(mapping, SlugRefList) and not hasattr(mapping, "relationship"):
            written.add(name)
    return written


def _leftover(table: Table, covered: Iterable[str]) -> list[Column[Any]]:
    known = set(covered)
    return [column for column in table.columns if column.key not in known]


def item_state_columns(kind: Kind) -> list[Column[Any]]:
    table = cast(Table, inspect(kind.model).local_table)
    return _leftover(table, ITEM_ENVELOPE | document_columns(kind))


def extra_columns(table: Table, *, envelope: frozenset[str]) -> list[Column[Any]]:
    return _leftover(table, envelope)


def encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def dump(row: Any, *, columns: Iterable[Column[Any]]) -> dict[str, Any]:
    """The columns' values of an ORM row, JSON-ready."""
    return {column.key: encode(getattr(row, column.key)) for column in columns}


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        if not column.nullable:
            raise BadValue(f"{column.key}: may not be null")
        return None
    column_type = column.type
    if isinstance(column_type, JSON):
        return value
    if isinstance(column_type, Enum):
        if value not in column_type.enums:
            raise BadValue(f"{column.key}: not one of {', '.join(column_type.enums)}")
        return value
    python_type = column_type.python_type
    try:
        if python_type is datetime:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise BadValue(f"{column.key}: a timestamp needs a time zone")
            return parsed
        if python_type is date:
            return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, BadValue):
            raise
        raise BadValue(f"{column.key}: not an ISO {python_type.__name__}") from exc
    if python_type is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, python_type) or (python_type is int and isinstance(value, bool)):
        raise BadValue(f"{column.key}: expected {python_type.__name__}")
    if isinstance(column_type, String) and column_type.length and len(value) > column_type.length:
        raise BadValue(f"{column.key}: longer than {column_type.length} characters")
    return value


def _absent(column: Column[Any]) -> Any:
    """The value of a column a file does not name (one written before the column existed)."""
    default = column.default
    if default is not None and not getattr(default, "is_callable", False):
        return getattr(default, "arg", None)
    if column.nullable:
        return None
    raise BadValue(f"{column.key}: missing, and the column has no default")


def load(values: dict[str, Any], *, columns: Iterable[Column[Any]]) -> dict[str, Any]:
    """Checked values for every one of the columns; unknown names are refused.

    Every row gets every column, so a batch's rows share their keys and can
    go into one multi-row INSERT.
    """
    by_key = {column.key: column for column in columns}
    unknown = sorted(set(values) - set(by_key))
    if unknown:
        raise BadValue(f"no such column: {', '.join(unknown)}")
    return {
        key: _decode(column, values[key]) if key in values else _absent(column)
        for key, column in by_key.items()
    }
