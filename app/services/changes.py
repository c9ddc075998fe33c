"""One hook that every content write calls, inside the write's transaction.

Subscribers (the sync feed's change log, the search index, the webhook
outbox, cache invalidation) register here instead of every write path
calling each of them, so a new write path cannot forget one of them and a
subscriber's rows commit or roll back with the change itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from models.base import EditorialMixin


class Action(StrEnum):
    created = "created"
    updated = "updated"
    published = "published"
    unpublished = "unpublished"
    archived = "archived"
    deleted = "deleted"
    restored = "restored"  # undeleted
    reviewed = "reviewed"
    scheduled = "scheduled"  # publish_at set; "published" follows when it falls due
    reverted = "reverted"  # an earlier revision re-applied, as a new revision


@dataclass(frozen=True)
class Change:
    kind: str  # the kind's registry name, e.g. "treatment"
    item: EditorialMixin
    action: Action


Subscriber = Callable[[Session, Change], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> Subscriber:
    """Register once at import of the subscriber's module; idempotent."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)
    return subscriber


def content_changed(session: Session, change: Change) -> None:
    session.flush()
    for subscriber in list(_subscribers):
        subscriber(session, change)
