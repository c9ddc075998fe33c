"""The parameters every list shares: limit, offset, sort and fields.

One implementation for every resource so the contract (default 20, at most
100, 400 above that, unknown sort or field names rejected) cannot drift
between endpoints.
"""

import re
from collections.abc import Callable, Iterable
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel

from app.errors import BadRequest
from app.schemas.inputs import UtcDateTime
from app.services.paging import ListParams

MAX_LIMIT = 100


def csv_pattern(names: Iterable[str], *, signed: bool = False) -> str:
    """The regex of a comma-separated list drawn from `names` (`-` prefixes if `signed`).

    It goes into the OpenAPI document, so clients and contract fuzzers know
    exactly which values exist, and the server enforces the same regex.
    """
    one = ("-?" if signed else "") + "(?:" + "|".join(sorted(map(re.escape, names))) + ")"
    return f"^{one}(?:,{one})*$"


def _enforce(value: str | None, pattern: str, param: str, known: Iterable[str]) -> None:
    if value is None or re.fullmatch(pattern, value):
        return
    bad = [part.strip().removeprefix("-") for part in value.split(",")]
    unknown = [name for name in bad if name not in set(known)] or [value]
    raise BadRequest(
        f"Cannot use {', '.join(map(repr, unknown))} in {param}. "
        f"Known: {', '.join(sorted(known))} (comma-separated, no spaces"
        + (", `-` for descending)." if param == "sort" else ")."),
        errors=[{"field": param, "message": f"unknown {param} value {name!r}"} for name in unknown],
    )


def list_params_for(
    item: type[BaseModel], sortable: Iterable[str] = (), *, fixed_sort: str | None = None
) -> Callable[..., ListParams]:
    """The `ListParams` dependency of one list: its item's fields and its sort keys.

    Each list declares the exact `fields` and `sort` values it accepts (as a
    regex in the OpenAPI document) instead of a free string, so a value the
    document allows is never refused and one it forbids is always a 400.
    `fixed_sort`: a list with one meaningful order, which `sort` may only name.
    """
    field_names = tuple(item.model_fields)
    sort_names = (fixed_sort,) if fixed_sort else tuple(sortable)
    fields_pattern = csv_pattern(field_names)
    sort_pattern = (
        f"^{re.escape(fixed_sort)}$" if fixed_sort else csv_pattern(sort_names, signed=True)
    )

    def list_params(
        limit: Annotated[
            int, Query(ge=1, le=MAX_LIMIT, description="Page size; at most 100.", examples=[20])
        ] = 20,
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
        sort: Annotated[
            str | None,
            Query(
                max_length=500,
                description="Comma-separated sort keys, prefix `-` for descending; one of "
                + ", ".join(f"`{name}`" for name in sort_names)
                + ".",
                examples=[fixed_sort or f"-{sort_names[0]}"],
                json_schema_extra={"pattern": sort_pattern},
            ),
        ] = None,
        fields: Annotated[
            str | None,
            Query(
                max_length=2000,
                description="Sparse fieldset: comma-separated top-level fields to return.",
                examples=[",".join(field_names[:3])],
                json_schema_extra={"pattern": fields_pattern},
            ),
        ] = None,
    ) -> ListParams:
        _enforce(sort, sort_pattern, "sort", sort_names)
        _enforce(fields, fields_pattern, "fields", field_names)
        return ListParams(limit=limit, offset=offset, sort=sort, fields=fields)

    return list_params


# Filter parameter types shared by every list, so each filter validates alike.
SlugQuery = Annotated[str | None, Query(max_length=120, pattern=r"^[a-z0-9][a-z0-9-]*$")]
TextQuery = Annotated[str | None, Query(min_length=1, max_length=200, description="Text to match.")]
UpdatedSinceQuery = Annotated[
    UtcDateTime | None, Query(description="Only items changed at or after this RFC 3339 time.")
]
