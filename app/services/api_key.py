"""Editorial API keys: created and revoked by the operator's CLI, checked per request.

A key is `tca_` plus 43 random URL-safe characters (256 bits). Only its
SHA-256 is stored: a leaked database does not leak usable keys, and an
unsalted fast hash is enough for random secrets of that length. Lookup is by
the indexed hash and the match is confirmed with `hmac.compare_digest`.
"""

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.errors import NotFound
from models.api_key import ApiKey, Role
from models.base import utcnow

KEY_PREFIX = "tca_"
LAST_USED_EVERY_SECONDS = 60.0


@dataclass(frozen=True)
class Actor:
    """Who a write is attributed to in revisions and the audit log."""

    name: str
    role: Role | None = None
    api_key_id: str | None = None
    key_prefix: str | None = None


SYSTEM = Actor("system")
ACTOR_KEY = "actor"


def actor_of(session: Session) -> Actor:
    actor = session.info.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else SYSTEM


def act_as(session: Session, *, actor: Actor) -> Session:
    session.info[ACTOR_KEY] = actor
    return session


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(session: Session, *, name: str, role: Role) -> tuple[ApiKey, str]:
    """Return the stored key and its secret; the secret is never retrievable again."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, role=role, key_prefix=secret[:12], key_hash=hash_key(secret))
    session.add(key)
    session.flush()
    return key, secret


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def revoke_key(session: Session, *, key_id: str) -> ApiKey:
    """Revoke by id or by the printed prefix; revoking twice keeps the first time."""
    key = session.scalars(
        select(ApiKey).where(or_(ApiKey.id == key_id, ApiKey.key_prefix == key_id))
    ).first()
    if key is None:
        raise NotFound(f"No API key {key_id!r}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def authenticate(session: Session, *, secret: str) -> ApiKey | None:
    """The active key for this secret, or None for unknown and revoked keys."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    digest = hash_key(secret)
    key = session.scalars(select(ApiKey).where(ApiKey.key_hash == digest)).first()
    if key is None or not hmac.compare_digest(key.key_hash, digest):
        return None
    return key if key.revoked_at is None else None


class LastUsedTracker:
    """Stamps `last_used_at` at most once a minute per key and process.

    Without this every editorial read would be a write; the in-memory note
    means only the first request in a minute pays for the UPDATE.
    """

    def __init__(self) -> None:
        self._stamped: dict[str, float] = {}
        self._lock = threading.Lock()

    def due(self, key_id: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._stamped.get(key_id, -LAST_USED_EVERY_SECONDS) < LAST_USED_EVERY_SECONDS:
                return False
            self._stamped[key_id] = now
            return True


def stamp_last_used(session: Session, *, key_id: str, at: datetime) -> None:
    session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at))
