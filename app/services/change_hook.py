"""One hook that every content write calls, inside the write's transaction.

Subscribers (the sync feed's change log, the search index, the webhook
outbox, the editorial record, cache invalidation) are connected to one
`Database`'s sessions by `app.wiring`, never by importing a module: a
write path cannot forget one of them, a subscriber's rows commit or roll
back with the change itself, and two apps in one process (tests, the CLI)
do not subscribe twice. A write on a session that nobody wired fails loudly
instead of silently skipping the search index or the change log.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

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


class Subscriber(Protocol):
    def __call__(self, session: Session, *, change: Change) -> None: ...


# Bulk writes (the synthetic-data generator) insert rows with Core statements,
# one batch at a time, so there are no ORM items to hand over: a bulk
# subscriber gets the kind name and the batch's ids, in the batch's transaction.
class BulkSubscriber(Protocol):
    def __call__(
        self, session: Session, *, kind_name: str, ids: Sequence[str], action: Action
    ) -> None: ...


# A bulk import keeps the index and the feed itself (it knows which rows it
# replaced); what it cannot do is purge caches, which only the HTTP layer knows.
class ReplacedSubscriber(Protocol):
    def __call__(self, session: Session, *, kind_path: str, item_ids: Sequence[str]) -> None: ...


HOOK = "change_hook"


class ChangeHook:
    """The subscribers of one database's sessions, each counted per connection.

    Counting lets two apps share one `Database` (the tests do): the first
    app's shutdown disconnects its own subscriptions and leaves the other's.
    """

    def __init__(self) -> None:
        self.subscribers: list[Subscriber] = []
        self.bulk_subscribers: list[BulkSubscriber] = []
        self.replaced_subscribers: list[ReplacedSubscriber] = []
        self._counts: Counter[Any] = Counter()

    def connect(
        self,
        *,
        changes: Iterable[Subscriber] = (),
        bulk: Iterable[BulkSubscriber] = (),
        replaced: Iterable[ReplacedSubscriber] = (),
    ) -> Callable[[], None]:
        """Add subscribers; the returned function takes exactly these away again."""
        added: list[tuple[list[Any], Any]] = [
            *((self.subscribers, s) for s in changes),
            *((self.bulk_subscribers, s) for s in bulk),
            *((self.replaced_subscribers, s) for s in replaced),
        ]
        for target, subscriber in added:
            self._counts[subscriber] += 1
            if subscriber not in target:
                target.append(subscriber)

        def disconnect() -> None:
            for target, subscriber in added:
                self._counts[subscriber] -= 1
                if self._counts[subscriber] <= 0 and subscriber in target:
                    target.remove(subscriber)

        return disconnect

    def listen(
        self, makers: Iterable["sessionmaker[Session]"], *, name: str, listener: Callable[..., Any]
    ) -> Callable[[], None]:
        """A SQLAlchemy session event on these factories only, counted like subscribers."""
        makers = list(makers)
        for maker in makers:
            self._counts[(id(maker), name, listener)] += 1
            if not event.contains(maker, name, listener):
                event.listen(maker, name, listener)

        def disconnect() -> None:
            for maker in makers:
                key = (id(maker), name, listener)
                self._counts[key] -= 1
                if self._counts[key] <= 0 and event.contains(maker, name, listener):
                    event.remove(maker, name, listener)

        return disconnect


def hook_for(makers: Iterable["sessionmaker[Session]"]) -> ChangeHook:
    """The hook every session of these factories carries (one per database)."""
    makers = list(makers)
    for maker in makers:
        hook = maker.kw.get("info", {}).get(HOOK)
        if isinstance(hook, ChangeHook):
            return hook
    hook = ChangeHook()
    for maker in makers:
        maker.kw.setdefault("info", {})[HOOK] = hook
    return hook


def _hook(session: Session) -> ChangeHook:
    hook = session.info.get(HOOK)
    if not isinstance(hook, ChangeHook):
        raise RuntimeError(
            "content written through a session no change hook is connected to: "
            "build the Database's subscribers with app.wiring.connect() first"
        )
    return hook


def content_changed(session: Session, *, change: Change) -> None:
    session.flush()
    for subscriber in list(_hook(session).subscribers):
        subscriber(session, change=change)


def content_replaced(session: Session, *, kind: str, ids: Sequence[str]) -> None:
    """A bulk import replaced or created these items (`kind` is its path, e.g. "faqs")."""
    for subscriber in list(_hook(session).replaced_subscribers):
        subscriber(session, kind_path=kind, item_ids=ids)


def _bulk_changed(session: Session, kind: str, ids: Sequence[str], action: Action) -> None:
    for subscriber in list(_hook(session).bulk_subscribers):
        subscriber(session, kind_name=kind, ids=ids, action=action)


def after_bulk_insert(session: Session, *, kind: str, ids: Sequence[str]) -> None:
    """Tell bulk subscribers that rows of `kind` with these ids were created."""
    _bulk_changed(session, kind, ids, Action.created)


def after_bulk_delete(session: Session, *, kind: str, ids: Sequence[str]) -> None:
    """Tell bulk subscribers that rows of `kind` with these ids were removed."""
    _bulk_changed(session, kind, ids, Action.deleted)
