"""One hook that every content write calls, inside the write's transaction.

Subscribers (the sync feed's change log, the search index, the webhook
outbox, cache invalidation) register here instead of every write path
calling each of them, so a new write path cannot forget one of them and a
subscriber's rows commit or roll back with the change itself.
"""

from collections.abc import Callable, Sequence
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
    # A scheduled publish called off: what it would publish is not the reviewed text.
    schedule_cancelled = "schedule_cancelled"


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


BulkSubscriber = Callable[[Session, str, Sequence[str], Action], None]
_bulk_subscribers: list[BulkSubscriber] = []


def subscribe_bulk(subscriber: BulkSubscriber) -> BulkSubscriber:
    """Opt in to bulk writes (the synthetic-data generator), which skip `content_changed`.

    Bulk writes insert rows with Core statements, one batch at a time, so
    there are no ORM items to hand over; a subscriber gets the kind name and
    the batch's ids and indexes them in one go, in the batch's transaction.
    """
    if subscriber not in _bulk_subscribers:
        _bulk_subscribers.append(subscriber)
    return subscriber


def _bulk_changed(session: Session, kind: str, ids: Sequence[str], action: Action) -> None:
    for subscriber in list(_bulk_subscribers):
        subscriber(session, kind, ids, action)


def after_bulk_insert(session: Session, kind: str, ids: Sequence[str]) -> None:
    """Tell bulk subscribers that rows of `kind` with these ids were created."""
    _bulk_changed(session, kind, ids, Action.created)


def after_bulk_delete(session: Session, kind: str, ids: Sequence[str]) -> None:
    """Tell bulk subscribers that rows of `kind` with these ids were removed."""
    _bulk_changed(session, kind, ids, Action.deleted)
