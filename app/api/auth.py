"""Who is calling: API keys in, an Actor with a role out.

401 (with `WWW-Authenticate: Bearer`) for a missing, unknown or revoked key;
403 for a valid key whose role is too small. Routes declare their role with
`EditorDep`, `PublisherDep` or `AdminDep`; the route-table test finds it on every write route.
"""

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.deps import get_database
from app.errors import Forbidden, Unauthorized
from app.services import api_key as api_key_service
from app.services.api_key import Actor
from models.api_key import Role
from models.base import utcnow

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An editorial API key from `treatments keys create`: "
    "`Authorization: Bearer tca_...`.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Actor:
    if credentials is None:
        raise Unauthorized(
            "This needs an API key: send `Authorization: Bearer <key>`.",
            headers={"WWW-Authenticate": 'Bearer realm="editorial"'},
        )
    database = get_database(request)
    with database.transaction() as session:
        key = api_key_service.authenticate(session, secret=credentials.credentials)
        if key is None:
            raise Unauthorized(
                "The API key is unknown or has been revoked.",
                headers={"WWW-Authenticate": 'Bearer realm="editorial", error="invalid_token"'},
            )
        actor = Actor(key.name, key.role, key.id, key.key_prefix)
    tracker: api_key_service.LastUsedTracker = request.app.state.key_usage
    if tracker.due(key.id):
        with database.transaction(write=True) as session:
            api_key_service.stamp_last_used(session, key_id=key.id, at=utcnow())
    return actor


def current_actor(request: Request, credentials: BearerDep) -> Actor:
    return authenticate(request, credentials)


@cache
def require(role: Role) -> Callable[..., Actor]:
    """The dependency for one minimum role (cached so FastAPI dedupes it)."""

    def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        assert actor.role is not None
        if actor.role.rank < role.rank:
            raise Forbidden(
                f"This needs the {role} role; the key {actor.key_prefix}… is {actor.role}."
            )
        return actor

    dependency.required_role = role  # type: ignore[attr-defined]
    return dependency


EditorDep = Annotated[Actor, Depends(require(Role.editor))]
PublisherDep = Annotated[Actor, Depends(require(Role.publisher))]
AdminDep = Annotated[Actor, Depends(require(Role.admin))]


def required_role(call: Any) -> Role | None:
    role = getattr(call, "required_role", None)
    return role if isinstance(role, Role) else None


def route_role(route: APIRoute) -> Role | None:
    """The smallest role a route requires, found anywhere in its dependencies."""
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        found = required_role(dependant.call)
        if found is not None:
            return found
        stack.extend(dependant.dependencies)
    return None
