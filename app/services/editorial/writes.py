"""Editorial writes: create, change, delete and undelete, for every kind.

Every write locks the item and compares its version with the caller's
If-Match before changing anything (compare-and-set): on PostgreSQL the row
is locked with SELECT ... FOR UPDATE, on SQLite the write transaction holds
the database lock from BEGIN IMMEDIATE. Of any number of concurrent writers
holding the same ETag, exactly one wins; the others see the new version and
get 412.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.input_documents import (
    as_document,
    check_top_level_fields,
    merge_patch,
    validate_document,
    working_document,
)
from app.errors import Conflict, NotFound, PreconditionFailed
from app.schemas.editorial import REVIEW_FIELDS
from app.services.change_hook import Action, Change, content_changed
from app.services.editorial import direct_writes as content
from app.services.editorial import review
from app.services.editorial import translations as translation
from models.base import EditorialMixin, ReviewedMixin, Status, utcnow


def etag(item: EditorialMixin) -> str:
    """Strong, version-based: it changes exactly when the item changes."""
    return f'"{item.id}-v{item.version}"'


def is_live(item: EditorialMixin, *, now: datetime | None = None) -> bool:
    """Served to the public right now (mirrors app.db's public filter)."""
    now = now or utcnow()
    return (
        item.status == Status.published
        and item.deleted_at is None
        and (item.publish_at is None or item.publish_at <= now or item.draft is not None)
        and (item.unpublish_at is None or item.unpublish_at > now)
    )


def _locate(kind: Kind, slug: str | None, *, deleted: bool) -> Any:
    model = kind.model
    stmt = select(model.id, model.version)
    if slug is not None:
        stmt = stmt.where(model.slug == slug)
    gone = model.deleted_at.is_not(None) if deleted else model.deleted_at.is_(None)
    return stmt.where(gone).order_by(model.created_at).limit(1)


def _not_found(kind: Kind, slug: str | None, *, deleted: bool) -> NotFound:
    what = "deleted " if deleted else ""
    return NotFound(f"No {what}{kind.label} with slug {slug!r}." if slug else f"No {kind.label}.")


def load(session: Session, *, kind: Kind, item_id: str) -> EditorialMixin:
    stmt = select(kind.model).where(kind.model.id == item_id).options(*kind.load_options())
    return session.scalars(stmt).one()


def find(
    session: Session, *, kind: Kind, slug: str | None, include_deleted: bool = False
) -> EditorialMixin:
    """An item in any state (drafts included), for editors; deleted ones only if asked."""
    stmt = select(kind.model.id)
    if slug is not None:
        stmt = stmt.where(kind.model.slug == slug)
    if not include_deleted:
        stmt = stmt.where(kind.model.deleted_at.is_(None))
    item_id = session.scalar(stmt.order_by(kind.model.created_at).limit(1))
    if item_id is None:
        raise _not_found(kind, slug, deleted=False)
    return load(session, kind=kind, item_id=item_id)


def lock(
    session: Session,
    *,
    kind: Kind,
    slug: str | None,
    if_match: Sequence[str],
    deleted: bool = False,
) -> EditorialMixin:
    """Lock the item, check the caller's ETag against its version, then load it."""
    row = session.execute(_locate(kind, slug, deleted=deleted).with_for_update()).first()
    if row is None:
        raise _not_found(kind, slug, deleted=deleted)
    current = f'"{row.id}-v{row.version}"'
    if current not in if_match:
        raise PreconditionFailed(
            f"The {kind.label} has changed since you read it: its current ETag is {current}. "
            "Fetch it again, re-apply your change and retry.",
            headers={"ETag": current},
        )
    return load(session, kind=kind, item_id=row.id)


def _check_slug(session: Session, kind: Kind, item: EditorialMixin, slug: str) -> None:
    taken = session.scalar(
        select(kind.model.id).where(kind.model.slug == slug, kind.model.id != item.id)
    )
    if taken is not None:
        raise Conflict(f"A {kind.label} with slug {slug!r} already exists.")


def store(session: Session, *, kind: Kind, item: EditorialMixin, payload: BaseModel) -> None:
    """Write a validated document: into `draft` while the item is live, else the columns.

    A reviewed kind's document keeps its review only while its reviewed
    fields are unchanged (app.services.editorial.review).
    """
    document = as_document(kind, payload)
    _check_slug(session, kind, item, document["slug"])
    live = is_live(item) and not kind.singleton
    if kind.reviewed:
        document = review.settle_write(session, kind=kind, item=item, doc=document, into_draft=live)
        payload = validate_document(kind, document)
    if live:
        item.draft = document
        return
    with session.no_autoflush:
        content.apply_fields(session, kind=kind, item=item, data=payload.model_dump())
    item.draft = None


def apply_draft(session: Session, *, kind: Kind, item: EditorialMixin) -> None:
    """Move a pending draft into the columns (publish, unpublish, archive, preview),
    with the item's pending translations."""
    translation.apply_pending(session, kind=kind, item=item)
    if item.draft is None:
        return
    payload = validate_document(kind, item.draft)
    _check_slug(session, kind, item, item.draft["slug"])
    with session.no_autoflush:
        content.apply_fields(session, kind=kind, item=item, data=payload.model_dump())
    item.draft = None
    if isinstance(item, ReviewedMixin):
        item.review_hash, item.draft_review_hash = item.draft_review_hash, None


def bump(session: Session, *, kind: Kind, item: EditorialMixin, action: Action) -> None:
    item.version += 1
    content_changed(session, change=Change(kind.name, item, action))


def create_item(session: Session, *, kind: Kind, payload: BaseModel) -> EditorialMixin:
    """A new draft (version 1)."""
    item = content.create(session, kind=kind, payload=payload)
    return load(session, kind=kind, item_id=item.id)


def replace_document(
    session: Session,
    *,
    kind: Kind,
    item: EditorialMixin,
    new: dict[str, Any],
    action: Action = Action.updated,
) -> bool:
    """Validate and store a whole document; False when nothing changed."""
    working = working_document(session, kind, item)
    if kind.reviewed:
        # Review metadata is the server's record, whatever the document says.
        new = {**new, **{name: working.get(name) for name in REVIEW_FIELDS}}
    payload = validate_document(kind, new)
    if as_document(kind, payload) == working:
        return False
    store(session, kind=kind, item=item, payload=payload)
    bump(session, kind=kind, item=item, action=action)
    review.enforce_schedule(session, kind=kind, item=item)
    return True


def update_item(
    session: Session, *, kind: Kind, item: EditorialMixin, patch: dict[str, Any]
) -> EditorialMixin:
    """Apply a JSON merge patch (RFC 7386) to the item's working document."""
    check_top_level_fields(kind, patch)
    merged = merge_patch(working_document(session, kind, item), patch)
    replace_document(session, kind=kind, item=item, new=merged)
    return item


def delete_item(session: Session, *, kind: Kind, item: EditorialMixin) -> EditorialMixin:
    """Soft delete: hidden everywhere, slug kept, restorable."""
    item.deleted_at = utcnow()
    bump(session, kind=kind, item=item, action=Action.deleted)
    return item


def undelete_item(session: Session, *, kind: Kind, item: EditorialMixin) -> EditorialMixin:
    """Undo a soft delete; the item comes back in the state it was deleted in."""
    item.deleted_at = None
    bump(session, kind=kind, item=item, action=Action.restored)
    return item


def preview_draft(session: Session, *, kind: Kind, slug: str | None) -> None:
    """Apply the item's pending draft for a preview (the caller rolls back).

    The slug stays as addressed so the public route still finds the item;
    everything else is exactly what publishing would serve.
    """
    stmt = select(kind.model.id)
    if slug is not None:
        stmt = stmt.where(kind.model.slug == slug)
    item_id = session.scalar(stmt.limit(1))
    if item_id is None:
        return
    item = load(session, kind=kind, item_id=item_id)
    if item.draft is not None:
        payload = validate_document(kind, {**item.draft, "slug": item.slug})
        with session.no_autoflush:
            content.apply_fields(session, kind=kind, item=item, data=payload.model_dump())
        item.draft = None
    session.flush()
    # Loaded afresh by the route's own query, with its own eager loads.
    session.expunge_all()
