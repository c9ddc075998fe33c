"""Only a verified key makes a request "keyed": anything else is refused at the edge.

A request with `Authorization` is not cached, skips the render slots and is
counted against its key; if sending any header bought that, a loop of
`Bearer <random>` would get uncached renders from a fresh bucket each time.
So every such request (probes aside) is checked here, and a malformed,
unknown or revoked key gets a 401; the limiter outside charges it to the IP.
Verdicts are cached per worker by the key's hash for API_KEY_CACHE_SECONDS:
a revoked key still counts as keyed on public reads for that long, while
editorial routes check the database every time.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import logging
import time
from collections import OrderedDict

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Receive, Scope, Send

from app.db import Database
from app.errors import ServiceUnavailable, Unauthorized
from app.http.problem import send_problem
from app.http.rate_limit import EXEMPT_PATHS, VERDICT_STATE, token_digest
from app.services import api_key as api_key_service

logger = logging.getLogger("app.api.auth")

MAX_ENTRIES = 10_000
_MISSING = (
    "Send a valid API key as `Authorization: Bearer <key>`, or no Authorization "
    "header at all for public reads."
)


class KeyVerifier:
    """Is this Bearer token an active API key? Answered from the database,
    remembered for `ttl` seconds."""

    def __init__(self, database: Database, *, ttl: float, max_entries: int = MAX_ENTRIES) -> None:
        self.database = database
        self.ttl = ttl
        self.max_entries = max_entries
        # digest -> (monotonic expiry, verdict)
        self._verdicts: OrderedDict[str, tuple[float, bool]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._verdicts)

    def cached(self, digest: str) -> bool | None:
        """The remembered verdict, or None when there is none (or it expired)."""
        found = self._verdicts.get(digest)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            del self._verdicts[digest]
            return None
        self._verdicts.move_to_end(digest)
        return found[1]

    async def verify(self, authorization: bytes) -> bool:
        """True for an active key. Raises SQLAlchemyError if the database cannot say."""
        digest = token_digest(authorization)
        if digest is None:
            return False
        known = self.cached(digest)
        if known is not None:
            return known
        secret = authorization.partition(b" ")[2].strip().decode("latin-1")
        valid = await anyio.to_thread.run_sync(self._lookup, secret)
        if self.ttl > 0:
            self._verdicts[digest] = (time.monotonic() + self.ttl, valid)
            self._verdicts.move_to_end(digest)
            while len(self._verdicts) > self.max_entries:
                self._verdicts.popitem(last=False)
        return valid

    def _lookup(self, secret: str) -> bool:
        with self.database.transaction() as session:
            return api_key_service.authenticate(session, secret=secret) is not None


def authorization_of(scope: Scope) -> bytes | None:
    """The first Authorization header, as the routes (Starlette's Headers.get) read it."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bytes(value)
    return None


class KeyCheckMiddleware:
    def __init__(self, app: ASGIApp, *, verifier: KeyVerifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        authorization = authorization_of(scope)
        if authorization is None:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        verdict: bool | None = state.get(VERDICT_STATE)
        if verdict is None:
            try:
                verdict = await self.verifier.verify(authorization)
            except SQLAlchemyError as exc:
                logger.warning("API key check failed: database error %s", type(exc).__name__)
                unavailable = ServiceUnavailable("The API key cannot be checked right now.")
                await send_problem(scope, receive, send, unavailable)
                return
        if verdict:
            await self.app(scope, receive, send)
            return
        bearer = token_digest(authorization) is not None
        await send_problem(scope, receive, send, refusal(bearer=bearer))


def refusal(*, bearer: bool) -> Unauthorized:
    """The 401 for a bad key: `invalid_token` for a Bearer token (RFC 6750 §3.1),
    a bare challenge for any other scheme."""
    if bearer:
        return Unauthorized(
            "The API key is unknown or has been revoked. " + _MISSING,
            headers={"WWW-Authenticate": 'Bearer realm="editorial", error="invalid_token"'},
        )
    return Unauthorized(
        "Only Bearer API keys are accepted. " + _MISSING,
        headers={"WWW-Authenticate": 'Bearer realm="editorial"'},
    )
