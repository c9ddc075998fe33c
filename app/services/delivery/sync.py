"""The delta feed for offline clients: a change log and pages read from it.

Every change the public could notice is appended to `change_log` inside the
writing transaction. A page sends items whose latest change is after the
cursor, in their *current* public state (upsert or tombstone), so nothing
is skipped and only what is still current is repeated. Rows must commit in
`seq` order or a cursor could skip one forever, hence an advisory lock on
PostgreSQL. Drafts never leak into the feed.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.kinds import KINDS_BY_NAME
from app.db import publicly_visible
from app.errors import BadRequest
from app.services import change_hook as changes
from models import ChangeLog
from models.base import EditorialMixin

CHANGE_LOG = cast(Table, ChangeLog.__table__)  # Core inserts for bulk writes
CHANGE_LOG_LOCK = 7_300_214_001  # any constant; only this subscriber takes it
CURSOR_VERSION = 1


def log_change(session: Session, *, change: changes.Change) -> None:
    """Append the change to the feed if the public could notice it (see module doc)."""
    item = change.item
    if not publicly_visible(item):
        logged_before = session.scalar(
            select(ChangeLog.seq).where(ChangeLog.item_id == item.id).limit(1)
        )
        if logged_before is None:
            return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CHANGE_LOG_LOCK)))
    session.add(ChangeLog(kind=change.kind, item_id=item.id, action=change.action.value))
    session.flush()


def log_bulk(
    session: Session, *, kind_name: str, ids: Sequence[str], action: changes.Action
) -> None:
    """Bulk writes log one change per item, in id order, under the same lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CHANGE_LOG_LOCK)))
    if action == changes.Action.deleted:
        logged = set(session.scalars(select(ChangeLog.item_id).where(ChangeLog.item_id.in_(ids))))
        ids = [item_id for item_id in ids if item_id in logged]
    if ids:
        session.execute(
            insert(ChangeLog),
            [{"kind": kind_name, "item_id": i, "action": action.value} for i in sorted(ids)],
        )


def log_items(
    session: Session, *, kind_name: str, items: Sequence[EditorialMixin], action: changes.Action
) -> None:
    """`log_change` for many items at once (bulk import), with the same rule."""
    visible = {item.id for item in items if publicly_visible(item)}
    hidden = [item.id for item in items if item.id not in visible]
    logged = set()
    if hidden:
        logged = set(
            session.scalars(select(ChangeLog.item_id).where(ChangeLog.item_id.in_(hidden)))
        )
    wanted = [item.id for item in items if item.id in visible or item.id in logged]
    if not wanted:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CHANGE_LOG_LOCK)))
    session.execute(
        insert(CHANGE_LOG),
        [{"kind": kind_name, "item_id": item_id, "action": action.value} for item_id in wanted],
    )


# The largest `seq` either engine can hold; a forged cursor past it is a 400, not a 500.
MAX_SEQ = 2**63 - 1


def _kinds_key(kinds: list[Kind] | None) -> list[str] | None:
    return sorted(kind.path for kind in kinds) if kinds is not None else None


def encode_cursor(seq: int, *, kinds: list[Kind] | None) -> str:
    payload = {"v": CURSOR_VERSION, "s": seq, "k": _kinds_key(kinds)}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor(detail: str) -> BadRequest:
    return BadRequest(detail, errors=[{"field": "cursor", "message": detail}])


def decode_cursor(token: str | None, *, kinds: list[Kind] | None) -> int:
    """A cursor back to its `seq`; anything not issued by `encode_cursor` is a 400."""
    if token is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise _bad_cursor("The cursor is not one this API issued.") from exc
    if not isinstance(payload, dict) or payload.get("v") != CURSOR_VERSION:
        raise _bad_cursor("The cursor is not one this API issued.")
    seq = payload.get("s")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq <= MAX_SEQ:
        raise _bad_cursor("The cursor is not one this API issued.")
    if payload.get("k") != _kinds_key(kinds):
        raise _bad_cursor("The cursor was issued for a different `kinds` filter; keep it.")
    return seq


@dataclass(frozen=True)
class FeedEntry:
    kind: Kind
    item_id: str
    item: EditorialMixin | None  # None: send a tombstone


@dataclass(frozen=True)
class FeedPage:
    entries: list[FeedEntry]
    next_seq: int
    has_more: bool


def read_page(session: Session, *, after: int, kinds: list[Kind] | None, limit: int) -> FeedPage:
    """One page of the feed after `after`, in a bounded number of queries.

    `session` must be a public session: an item it cannot load is a tombstone.
    """
    stmt = select(ChangeLog.kind, ChangeLog.item_id, func.max(ChangeLog.seq).label("last"))
    stmt = stmt.where(ChangeLog.seq > after)
    if kinds is not None:
        stmt = stmt.where(ChangeLog.kind.in_([kind.name for kind in kinds]))
    stmt = stmt.group_by(ChangeLog.kind, ChangeLog.item_id)
    rows = list(session.execute(stmt.order_by("last").limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]

    wanted: dict[str, list[str]] = {}
    for kind_name, item_id, _ in rows:
        wanted.setdefault(kind_name, []).append(item_id)
    visible: dict[str, EditorialMixin] = {}
    for kind_name, ids in wanted.items():
        kind = KINDS_BY_NAME[kind_name]
        query = select(kind.model).where(kind.model.id.in_(ids)).options(*kind.list_options)
        visible.update((item.id, item) for item in session.scalars(query).unique())
    hidden = [item_id for _, item_id, _ in rows if item_id not in visible]
    known: set[str] = set()
    if hidden and after > 0:
        known = set(
            session.scalars(
                select(ChangeLog.item_id)
                .where(ChangeLog.item_id.in_(hidden), ChangeLog.seq <= after)
                .distinct()
            )
        )
    entries = [
        FeedEntry(KINDS_BY_NAME[kind_name], item_id, visible.get(item_id))
        for kind_name, item_id, _ in rows
        if item_id in visible or item_id in known
    ]
    return FeedPage(entries, rows[-1][2] if rows else after, has_more)
