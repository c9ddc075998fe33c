"""The content-changed subscribers every write needs, in the order they run.

The editorial record (revision, audit, readability), the search index, the
sync feed's change log and the webhook outbox, each in the writing
transaction. `app.wiring` connects them, with the HTTP layer's cache purge,
to one database's sessions.
"""

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from app.services import webhook_outbox
from app.services.change_hook import ChangeHook
from app.services.delivery import search_index, sync
from app.services.editorial import audit, history


def connect(hook: ChangeHook, *, makers: Sequence["sessionmaker[Session]"]) -> Callable[[], None]:
    """Subscribe the content subscribers; the result disconnects exactly them."""
    disconnects = [
        hook.connect(
            changes=[
                history.record_change,
                search_index.index_change,
                sync.log_change,
                webhook_outbox.queue_deliveries,
            ],
            bulk=[search_index.index_bulk, sync.log_bulk],
        ),
        hook.listen(makers, name="before_flush", listener=audit.append_only),
    ]

    def disconnect() -> None:
        for undo in disconnects:
            undo()

    return disconnect
