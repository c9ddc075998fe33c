"""Public list and detail reads that need nothing but the kind's registry entry.

A kind whose public routes are a page of items (text search, `updated_since`)
and one item by slug uses these, so adding it needs no services module of its
own (docs/adding-a-kind.md). A kind with its own filters or computed fields
writes one, as services/clinic.py does. Drafts are absent from a public
session already, so nothing here filters by status.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.base import ExecutableOption

from app.content.entry import Kind
from app.services.common import get_by_slug
from app.services.delivery import search as search_service
from app.services.paging import ListParams, apply_sort, page

# Columns a generic list sorts by, where the model has them; the first present
# of name, title and slug is the default order.
SORT_FIELDS = ("name", "title", "slug", "created_at", "updated_at")


def sortable(kind: Kind) -> dict[str, InstrumentedAttribute[Any]]:
    """Sort key -> column, for `list_params_for` and `list_items` alike."""
    return {name: getattr(kind.model, name) for name in SORT_FIELDS if hasattr(kind.model, name)}


def list_items(
    session: Session,
    *,
    kind: Kind,
    params: ListParams,
    q: str | None = None,
    updated_since: datetime | None = None,
) -> tuple[list[Any], int]:
    """One page of the kind's items with the entry's list options loaded."""
    model = kind.model
    stmt = select(model)
    if q:
        stmt = stmt.where(
            model.id.in_(search_service.search_ids(session, kind_name=kind.name, q=q))
        )
    if updated_since is not None:
        stmt = stmt.where(model.updated_at >= updated_since)
    columns = sortable(kind)
    default = next(name for name in SORT_FIELDS if name in columns)
    stmt = apply_sort(stmt, sort=params.sort, allowed=columns, default=[default], tiebreak=model.id)
    return page(session, stmt=stmt, params=params, options=kind.list_options)


def get_item(
    session: Session, *, kind: Kind, slug: str, options: Sequence[ExecutableOption] | None = None
) -> Any:
    """One item by slug (404 naming the kind if absent), with `options` or the list options."""
    return get_by_slug(
        session,
        model=kind.model,
        slug=slug,
        options=tuple(kind.list_options if options is None else options),
    )
