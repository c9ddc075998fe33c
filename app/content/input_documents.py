"""Items as input documents: the Create-schema shape an editor writes.

Revisions snapshot documents, diffs compare them field by field, restore
re-applies one, and PATCH is a JSON merge patch (RFC 7386) of one, validated
by the kind's Create schema. So every write path, whatever its verb, ends in
"validate a whole document, then store it".
"""

from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.content.entry import Kind, mapping_for
from app.content.field_mappings import SlugRefList
from app.errors import ValidationFailed
from app.schemas.editorial import REVIEW_FIELDS
from models.base import EditorialMixin

# Fields the server owns: naming one in a body is a 422 that says so.
READ_ONLY_FIELDS = frozenset(
    {
        "id", "version", "status", "created_at", "updated_at", "deleted_at", "publish_at",
        "unpublish_at", "draft", "has_draft", "readability", "readability_grade", "warnings",
        "review_overdue", "available_locales", "etag",
    }
)  # fmt: skip


def ensure_loaded(session: Session, kind: Kind, item: EditorialMixin) -> None:
    """Load the relationships the document needs if the caller's query did not.

    Relationships are lazy="raise"; a writer that loaded the item plainly
    (a script, a test, a future code path) still gets a correct revision.
    One query per missing collection, only when something is missing.
    """
    state = inspect(item)
    if state.pending or state.transient:
        return
    if not state.unloaded.isdisjoint(_relationship_names(kind)):
        session.scalars(
            select(kind.model).where(kind.model.id == item.id).options(*kind.load_options())
        ).all()


def _relationship_names(kind: Kind) -> set[str]:
    names = set()
    for name, mapping in kind.fields.items():
        relationship = getattr(mapping, "relationship", None)
        if relationship is not None:
            names.add(relationship)
        elif isinstance(mapping, SlugRefList):
            names.add(name)
    return names


def document(session: Session, kind: Kind, item: EditorialMixin) -> dict[str, Any]:
    """The item's stored columns as the document that would recreate them."""
    ensure_loaded(session, kind, item)
    return {
        name: mapping_for(kind, name).read(session, item, name)
        for name in kind.create_schema.model_fields
    }


def working_document(session: Session, kind: Kind, item: EditorialMixin) -> dict[str, Any]:
    """What an editor is working on: the pending draft if there is one, else the columns."""
    if item.draft is not None:
        return dict(item.draft)
    return document(session, kind, item)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, `null` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _refusal(kind: Kind, name: str) -> str:
    if name in REVIEW_FIELDS and kind.reviewed:
        return review_only_message(kind.path)
    return "read-only field; it cannot be set" if name in READ_ONLY_FIELDS else "unknown field"


def review_only_message(path: str) -> str:
    return f"set only by a clinical review: POST /v1/{path}/{{slug}}/review"


def check_top_level_fields(kind: Kind, body: dict[str, Any]) -> None:
    """Unknown and read-only fields are refused by name, never silently dropped;
    so is review metadata, which a write must not forge."""
    allowed = kind.body_schema.model_fields
    errors = [
        {"field": name, "message": _refusal(kind, name)} for name in body if name not in allowed
    ]
    if errors:
        names = ", ".join(e["field"] for e in errors)
        raise ValidationFailed(f"The request body is not valid: {names}", errors=errors)


def validate_document(kind: Kind, data: dict[str, Any]) -> BaseModel:
    try:
        return kind.create_schema.model_validate(data)
    except ValidationError as exc:
        errors = [
            {
                "field": ".".join(str(part) for part in err["loc"]) or "body",
                "message": "unknown or read-only field; it cannot be set"
                if err["type"] == "extra_forbidden"
                else err["msg"],
            }
            for err in exc.errors()
        ]
        names = ", ".join(e["field"] for e in errors)
        raise ValidationFailed(f"The request body is not valid: {names}", errors=errors) from exc


def as_document(kind: Kind, payload: BaseModel) -> dict[str, Any]:
    """A validated input as the document `document()` would read back once stored."""
    data: dict[str, Any] = payload.model_dump(mode="json")
    return {name: mapping_for(kind, name).normalize(value) for name, value in data.items()}


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """Field-level changes: {field: {"from": old, "to": new}} for top-level fields."""
    before = before or {}
    return {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
