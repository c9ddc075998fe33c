"""Domain services.

Importing this package registers the change-hook subscribers (the sync
feed's change log and the search index), so any code path that can write
content, which always goes through a service here, has them in place.
"""

from app.services import search_index, sync

__all__ = ["search_index", "sync"]
