"""Small helpers that build published content through the real services."""

from typing import Any

from app.db import Database
from app.kinds import KINDS
from app.services import content
from models.base import Status


def make(database: Database, path: str, *, status: Status = Status.published, **fields: Any) -> str:
    """Create one item of kind `path` (e.g. "treatments") and return its id."""
    kind = KINDS[path]
    payload = kind.create_schema.model_validate(fields)
    with database.transaction(write=True) as session:
        item = content.create(session, kind, payload)
        if status == Status.published:
            content.publish(session, kind, item)
        elif status != Status.draft:
            item.status = status
        return item.id
