"""Settings: read once from the environment and `.env`, validated at start-up.

A bad value stops the process with a clear message rather than surfacing as a
500 on the first request that happens to need it.
"""

from app.config.settings import Settings, get_settings
from app.config.values import normalize_database_url, parse_rate

__all__ = ["Settings", "get_settings", "normalize_database_url", "parse_rate"]
