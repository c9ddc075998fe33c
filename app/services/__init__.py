"""Services: queries and rules, one module per domain.

Importing the package registers the content-changed subscribers (revisions,
audit and readability; the sync feed's change log; the search index; the
response-cache purge with its cross-worker NOTIFY; the webhook outbox), so
no write path (API, seed, CLI) can run without them.
"""

from app.http import invalidation
from app.services import webhook_outbox
from app.services.delivery import search_index, sync
from app.services.editorial import history

__all__ = ["history", "invalidation", "search_index", "sync", "webhook_outbox"]
