"""Revisions: every change of an item, with who, when and a field-level diff."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.input_documents import diff
from app.errors import NotFound
from app.services.api_key import Actor
from app.services.change_hook import Change
from app.services.paging import ListParams, apply_sort, page
from models.base import EditorialMixin
from models.revision import Revision

REVISION_SORTS = ("number", "created_at")


def latest(session: Session, *, kind_name: str, item_id: str) -> Revision | None:
    stmt = (
        select(Revision)
        .where(Revision.kind == kind_name, Revision.item_id == item_id)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def record(session: Session, *, change: Change, document: dict[str, Any], actor: Actor) -> Revision:
    """Append the next revision; the item's row lock makes `number` race-free."""
    item = change.item
    previous = latest(session, kind_name=change.kind, item_id=item.id)
    changes = diff(previous.snapshot if previous else None, document)
    status = str(item.status)
    if previous is not None and previous.status != status:
        changes["status"] = {"from": previous.status, "to": status}
    revision = Revision(
        kind=change.kind,
        item_id=item.id,
        number=(previous.number + 1) if previous else 1,
        action=str(change.action),
        status=status,
        version=item.version,
        actor=actor.name,
        api_key_id=actor.api_key_id,
        snapshot=document,
        diff=changes,
    )
    session.add(revision)
    return revision


def list_revisions(
    session: Session, *, kind: Kind, item: EditorialMixin, params: ListParams
) -> tuple[list[Revision], int]:
    stmt = select(Revision).where(Revision.kind == kind.name, Revision.item_id == item.id)
    sortable = {name: getattr(Revision, name) for name in REVISION_SORTS}
    return page(
        session,
        stmt=apply_sort(
            stmt, sort=params.sort, allowed=sortable, default=["number"], tiebreak=Revision.id
        ),
        params=params,
    )


def get_revision(session: Session, *, kind: Kind, item: EditorialMixin, number: int) -> Revision:
    revision = session.scalars(
        select(Revision).where(
            Revision.kind == kind.name, Revision.item_id == item.id, Revision.number == number
        )
    ).first()
    if revision is None:
        count = session.scalar(
            select(func.count()).where(Revision.kind == kind.name, Revision.item_id == item.id)
        )
        raise NotFound(f"This {kind.label} has no revision {number}; it has {count}.")
    return revision
