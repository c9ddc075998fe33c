"""Connecting what reacts to content changes to one database, explicitly.

Nothing subscribes itself when imported. Whoever writes content through a
`Database` connects it first: `create_app` (and its lifespan disconnects),
the CLI, the tests. Connecting is counted, so two apps over one database do
not run a subscriber twice, and one app's shutdown leaves the other wired.
The order is the order subscribers run in: the cache purge's tag recorder
first, then the editorial record, the search index, the change log and the
webhook outbox.
"""

from collections.abc import Callable

from app.db import Database
from app.http import invalidation
from app.services import subscribers
from app.services.change_hook import hook_for

Disconnect = Callable[[], None]


def connect(database: Database) -> Disconnect:
    """Connect every content-changed subscriber to this database's sessions."""
    makers = database.session_factories()
    hook = hook_for(makers)
    undo = [invalidation.connect(hook, makers), subscribers.connect(hook, makers=makers)]

    def disconnect() -> None:
        for step in reversed(undo):
            step()

    return disconnect
