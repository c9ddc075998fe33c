"""Putting the HTTP layer into an app and running its background watcher."""

from fastapi import FastAPI

from app.config import Settings
from app.http import invalidation
from app.http.cors import CorsMiddleware
from app.http.middleware import HttpCacheMiddleware
from app.http.response_cache import ResponseCache


class HttpLayer:
    """One app's response cache, its middleware and its cross-worker watcher."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache: ResponseCache | None = None
        if settings.response_cache:
            self.cache = ResponseCache(
                max_entries=settings.response_cache_max_entries,
                max_bytes=settings.response_cache_max_bytes,
            )
        self._watcher: invalidation.Watcher | None = None

    def install(self, app: FastAPI) -> None:
        """Call last in create_app: middleware added last runs first.

        CORS goes outside the cache so a cached entry never carries one
        origin's headers to another.
        """
        app.state.response_cache = self.cache
        app.add_middleware(HttpCacheMiddleware, settings=self.settings, cache=self.cache)
        if self.settings.cors_origins:
            app.add_middleware(
                CorsMiddleware,
                origins=self.settings.cors_origins,
                allow_credentials=self.settings.cors_allow_credentials,
            )

    def start(self) -> None:
        if self.cache is None:
            return
        self._watcher = invalidation.watcher_for(
            self.settings.database_url, self.cache, self.settings.cache_poll_seconds
        )
        if self._watcher is not None:
            self._watcher.start()

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
