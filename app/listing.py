"""The parameters every list shares: limit, offset, sort and fields.

One implementation for every resource so the contract (default 20, at most
100, 400 above that, unknown sort or field names rejected) cannot drift
between endpoints.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import BadRequest
from app.schemas.inputs import UtcDateTime

MAX_LIMIT = 100


@dataclass(frozen=True)
class ListParams:
    limit: int
    offset: int
    sort: str | None
    fields: str | None


def list_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Page size; at most 100.", examples=[20])
    ] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
    sort: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Comma-separated sort keys; prefix `-` for descending.",
            examples=["-updated_at"],
        ),
    ] = None,
    fields: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Sparse fieldset: comma-separated top-level fields to return.",
            examples=["slug,title,summary"],
        ),
    ] = None,
) -> ListParams:
    return ListParams(limit=limit, offset=offset, sort=sort, fields=fields)


ListParamsDep = Annotated[ListParams, Depends(list_params)]

# Filter parameter types shared by every list, so each filter validates alike.
SlugQuery = Annotated[str | None, Query(max_length=120, pattern=r"^[a-z0-9][a-z0-9-]*$")]
TextQuery = Annotated[str | None, Query(min_length=1, max_length=200, description="Text to match.")]
UpdatedSinceQuery = Annotated[
    UtcDateTime | None, Query(description="Only items changed at or after this RFC 3339 time.")
]


def split_csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def apply_sort(
    stmt: Select[Any],
    sort: str | None,
    allowed: Mapping[str, InstrumentedAttribute[Any]],
    default: Sequence[str],
    tiebreak: InstrumentedAttribute[Any],
) -> Select[Any]:
    keys = split_csv(sort) or list(default)
    order = []
    for key in keys:
        name = key.removeprefix("-")
        column = allowed.get(name)
        if column is None:
            raise BadRequest(
                f"Cannot sort by {name!r}. Sortable fields: {', '.join(sorted(allowed))}.",
                errors=[{"field": "sort", "message": f"unknown sort field {name!r}"}],
            )
        order.append(column.desc() if key.startswith("-") else column.asc())
    # A unique tiebreak keeps pages stable: no item on two pages, none skipped.
    return stmt.order_by(*order, tiebreak.asc())


def fixed_order(sort: str | None, order: str) -> None:
    """For a list with one meaningful order: `sort` may name it, never be ignored."""
    if sort is not None and split_csv(sort) != [order]:
        raise BadRequest(
            f"This list is always sorted by {order}; it cannot be sorted by {sort!r}.",
            errors=[{"field": "sort", "message": f"only {order!r} is supported"}],
        )


def check_fields(fields: str | None, schema: type[BaseModel]) -> list[str] | None:
    names = split_csv(fields)
    if not names:
        return None
    unknown = [name for name in names if name not in schema.model_fields]
    if unknown:
        raise BadRequest(
            f"Unknown field(s) in fields: {', '.join(unknown)}.",
            errors=[{"field": "fields", "message": f"unknown field {name!r}"} for name in unknown],
        )
    return names


def page(session: Session, stmt: Select[Any], params: ListParams) -> tuple[list[Any], int]:
    """Count, then fetch one page of ids' rows, in two statements."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.limit(params.limit).offset(params.offset)).unique())
    return rows, int(total)
