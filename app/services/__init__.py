"""Domain services.

Importing this package registers the change-hook subscribers (here: the
response-cache purge and its cross-worker NOTIFY), so any code path that can
write content, which always goes through a service here, has them in place.
"""

from app.http import invalidation

__all__ = ["invalidation"]
