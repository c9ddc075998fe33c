"""Small helpers that build published content through the real services."""

from typing import Any

from sqlalchemy import select

from app.content.kinds import KINDS
from app.db import Database
from app.services.change_hook import Action, Change, content_changed
from app.services.editorial import direct_writes as content
from app.services.editorial.translations import apply_pending, write_translation
from models.base import Status, utcnow


def make(database: Database, path: str, *, status: Status = Status.published, **fields: Any) -> str:
    """Create one item of kind `path` (e.g. "treatments") and return its id."""
    kind = KINDS[path]
    payload = kind.create_schema.model_validate(fields)
    with database.transaction(write=True) as session:
        item = content.create(session, kind=kind, payload=payload)
        if status == Status.published:
            content.publish(session, kind=kind, item=item)
        elif status != Status.draft:
            item.status = status
        return item.id


def change(database: Database, path: str, slug: str, action: Action, **fields: Any) -> None:
    """Apply a workflow change the way the editorial services do: edit, bump, hook."""
    kind = KINDS[path]
    with database.transaction(write=True) as session:
        item = session.scalars(select(kind.model).where(kind.model.slug == slug)).one()
        for name, value in fields.items():
            setattr(item, name, value)
        if action == Action.unpublished:
            item.status = Status.draft
        elif action == Action.archived:
            item.status = Status.archived
        elif action == Action.deleted:
            item.deleted_at = utcnow()
        elif action == Action.restored:
            item.deleted_at = None
        elif action == Action.published:
            item.status = Status.published
        item.version += 1
        content_changed(session, change=Change(kind.name, item, action))


def translate(database: Database, path: str, slug: str, locale: str, **text: Any) -> None:
    """Write a translation and publish it with the item, as a publisher would."""
    kind = KINDS[path]
    with database.transaction(write=True) as session:
        item = session.scalars(select(kind.model).where(kind.model.slug == slug)).one()
        write_translation(session, kind=kind, item=item, locale=locale, patch=text)
        apply_pending(session, kind=kind, item=item)
