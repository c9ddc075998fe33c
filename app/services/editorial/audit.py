"""The audit log: one row per write or workflow action, only ever appended.

Rows are inserted in the write's own transaction, so a change and its audit
entry commit or roll back together. The ORM refuses to update or delete one.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.api_key import Actor
from app.services.paging import ListParams, apply_sort, page
from models.audit_event import AuditEvent


def append_only(session: Session, _context: Any, _instances: Any) -> None:
    """A session `before_flush` listener (connected by app.wiring): no update, no delete."""
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, AuditEvent) and (row in session.deleted or session.is_modified(row)):
            raise RuntimeError("audit events are append-only")


AUDIT_SORTS = ("occurred_at",)


def add_event(
    session: Session,
    *,
    actor: Actor,
    action: str,
    kind: str,
    item_id: str | None = None,
    slug: str | None = None,
    version: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    audit_event = AuditEvent(
        actor=actor.name,
        api_key_id=actor.api_key_id,
        key_prefix=actor.key_prefix,
        action=action,
        kind=kind,
        item_id=item_id,
        slug=slug,
        version=version,
        details=details or {},
    )
    session.add(audit_event)
    return audit_event


def list_events(
    session: Session,
    *,
    params: ListParams,
    actor: str | None = None,
    kind: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
) -> tuple[list[AuditEvent], int]:
    stmt = select(AuditEvent)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if kind:
        stmt = stmt.where(AuditEvent.kind == kind)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    sortable = {name: getattr(AuditEvent, name) for name in AUDIT_SORTS}
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=sortable, default=["-occurred_at"], tiebreak=AuditEvent.id
    )
    return page(session, stmt=stmt, params=params)
