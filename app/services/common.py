"""Lookups shared by the resource services."""

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption

from app.errors import BadRequest, NotFound
from models.base import EditorialMixin

M = TypeVar("M", bound=EditorialMixin)


def _label(model: type[EditorialMixin]) -> str:
    return str(getattr(model, "__tablename__", model.__name__))


def get_by_slug(
    session: Session, *, model: type[M], slug: str, options: tuple[ExecutableOption, ...] = ()
) -> M:
    """Load one item or raise NotFound; in a public session drafts are simply absent."""
    item = session.scalars(select(model).where(model.slug == slug).options(*options)).first()
    if item is None:
        raise NotFound(f"No {_label(model).replace('_', ' ')} with slug {slug!r}.")
    return item


def resolve_filter_id(session: Session, *, model: type[M], slug: str, param: str) -> str:
    """A filter naming an unknown item is a 400 naming the parameter, not an empty list."""
    item_id = session.scalar(select(model.id).where(model.slug == slug))
    if item_id is None:
        raise BadRequest(
            f"Unknown value {slug!r} for filter {param!r}.",
            errors=[{"field": param, "message": f"no {_label(model)} with slug {slug!r}"}],
        )
    return item_id


def descendant_ids(session: Session, *, model: Any, root_id: str) -> set[str]:
    """The root and everything nested under it, from one query of the small tree."""
    children: dict[str | None, list[str]] = {}
    for item_id, parent_id in session.execute(select(model.id, model.parent_id)):
        children.setdefault(parent_id, []).append(item_id)
    found, stack = set(), [root_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def updated_since_clause(model: type[M], *, since: datetime | None) -> Any:
    return model.updated_at >= since if since is not None else None


class WithExtras:
    """An ORM item plus values computed by a query, read as one object.

    Lets a read model take fields that are not relationships of the item
    (say, treatments reached through sub-types) without adding them to the ORM.
    """

    def __init__(self, item: object, **extras: object) -> None:
        self._item = item
        self._extras = extras
        self.__wrapped__ = item  # lets the locale overlay find the real item

    def __getattr__(self, name: str) -> Any:
        if name in self._extras:
            return self._extras[name]
        return getattr(self._item, name)
