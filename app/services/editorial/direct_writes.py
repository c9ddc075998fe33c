"""Kind-independent writes: create and publish, used by the seed loader and
(later) the editorial API, so both take the same validated path."""

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.entry import Kind, mapping_for
from app.errors import Conflict
from app.services.change_hook import Action, Change, content_changed
from models.base import EditorialMixin, Status, new_id


def slug_taken(session: Session, *, kind: Kind, slug: str) -> bool:
    """Deleted items keep their slug so they can be restored."""
    return session.scalar(select(kind.model.id).where(kind.model.slug == slug)) is not None


def apply_fields(
    session: Session, *, kind: Kind, item: EditorialMixin, data: dict[str, Any]
) -> None:
    for name, value in data.items():
        mapping_for(kind, name).apply(session, item, name, value)


def create(
    session: Session, *, kind: Kind, payload: BaseModel, item_id: str | None = None
) -> EditorialMixin:
    """Create a draft (version 1) from an already validated input schema."""
    data = payload.model_dump()
    if slug_taken(session, kind=kind, slug=data["slug"]):
        raise Conflict(
            f"A {kind.name.replace('_', ' ')} with slug {data['slug']!r} already exists."
        )
    item = kind.model()
    item.id, item.status, item.version = item_id or new_id(), Status.draft, 1
    with session.no_autoflush:
        apply_fields(session, kind=kind, item=item, data=data)
    session.add(item)
    content_changed(session, change=Change(kind.name, item, Action.created))
    return item


def publish(session: Session, *, kind: Kind, item: EditorialMixin) -> None:
    if item.status != Status.published:
        item.status = Status.published
        item.version += 1
        content_changed(session, change=Change(kind.name, item, Action.published))
