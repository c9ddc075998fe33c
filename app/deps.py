"""Request dependencies: the database session and query-parameter guards."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi._compat.shared import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import Database
from app.errors import BadRequest


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def public_session(request: Request) -> Iterator[Session]:
    """A read-only session that can only ever see published content."""
    with get_database(request).transaction(public=True) as session:
        yield session


PublicSessionDep = Annotated[Session, Depends(public_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]

_allowed_cache: dict[int, frozenset[str]] = {}
_repeatable_cache: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _repeatable_names(dependant: Dependant) -> set[str]:
    names = {
        param.alias
        for param in dependant.query_params
        if field_annotation_is_sequence(param.field_info.annotation)
    }
    for sub in dependant.dependencies:
        names |= _repeatable_names(sub)
    return names


def allowed_query_params(route: APIRoute) -> frozenset[str]:
    key = id(route)
    if key not in _allowed_cache:
        _allowed_cache[key] = frozenset(_query_names(route.dependant))
    return _allowed_cache[key]


def repeatable_query_params(route: APIRoute) -> frozenset[str]:
    key = id(route)
    if key not in _repeatable_cache:
        _repeatable_cache[key] = frozenset(_repeatable_names(route.dependant))
    return _repeatable_cache[key]


def reject_nul_bytes(request: Request) -> None:
    """A NUL in a query or path parameter is a 400 that names it.

    No slug, filter or cursor can hold one, and PostgreSQL refuses it in any
    text it is sent, so it must be stopped before it reaches a query.
    """
    params = [*request.query_params.multi_items(), *request.path_params.items()]
    bad = sorted({name for name, value in params if "\x00" in name or "\x00" in str(value)})
    if bad:
        raise BadRequest(
            f"NUL bytes are not allowed in parameters: {', '.join(bad)}.",
            errors=[{"field": name, "message": "contains a NUL byte"} for name in bad],
        )


def reject_unknown_params(request: Request) -> None:
    """Unknown query parameters are a 400 that names them, never silently ignored.

    A typo such as `?tpye=immunotherapy` would otherwise return every
    treatment and look like a working filter.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = allowed_query_params(route)
    unknown = sorted({name for name in request.query_params if name not in allowed})
    if unknown:
        raise BadRequest(
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(allowed)) or 'none'}.",
            errors=[{"field": name, "message": "unknown query parameter"} for name in unknown],
        )
    # A parameter that takes one value, given twice, would silently keep the
    # last; the document says it is one value, so two are a 400 naming it.
    names = [name for name, _value in request.query_params.multi_items()]
    if len(names) != len(set(names)):
        repeatable = repeatable_query_params(route)
        repeated = sorted({n for n in names if names.count(n) > 1 and n not in repeatable})
        if repeated:
            raise BadRequest(
                f"Query parameter(s) given more than once: {', '.join(repeated)}.",
                errors=[{"field": name, "message": "given more than once"} for name in repeated],
            )
