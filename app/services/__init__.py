"""Domain services.

Importing this package registers the change-hook subscribers (the sync
feed's change log, the search index, and the response-cache purge with its
cross-worker NOTIFY), so any code path that can write content, which always
goes through a service here, has them in place.
"""

from app.http import invalidation
from app.services import search_index, sync

__all__ = ["invalidation", "search_index", "sync"]
