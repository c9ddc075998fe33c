"""Putting the HTTP layer into an app and running its background watcher.

The fast lane (`fast_lane.py`) answers cache hits first; then the pure ASGI
layers, outermost first: security headers, observability, CORS, rate limit,
key check, body limit, Starlette's 500 handler, the HTTP cache. The order is
chosen so that nothing answers without security headers, every answer is
counted, a browser can read a 429, an invented key is charged to its IP
before its 401, and limits act before any work is done. None is
BaseHTTPMiddleware: a cache hit costs a few function calls per layer.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

from fastapi import FastAPI
from starlette.types import ASGIApp

from app.config import Settings, parse_rate
from app.db import Database
from app.http import invalidation
from app.http.body_limit import BodyLimitMiddleware
from app.http.cache_layer import HttpCacheMiddleware
from app.http.client_ip import ClientIpResolver
from app.http.cold_reads import DocumentStore
from app.http.cors import CorsMiddleware
from app.http.fast_lane import FastLane, RateLimit
from app.http.key_check import KeyCheckMiddleware, KeyVerifier
from app.http.metrics import Metrics
from app.http.observe import ObservabilityMiddleware
from app.http.rate_limit import Limiter, MemoryLimiter, RateLimitMiddleware
from app.http.response_cache import ResponseCache
from app.http.security import SecurityHeadersMiddleware, SecurityPolicy


def make_limiter(settings: Settings) -> Limiter:
    if settings.redis_url:
        from app.http.rate_limit_redis import RedisLimiter

        return RedisLimiter(settings.redis_url, prefix=settings.redis_prefix)
    return MemoryLimiter(max_buckets=settings.rate_limit_max_buckets)


class HttpLayer:
    """One app's edge layers, response cache, document store, limiter, metrics and watcher."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.cache: ResponseCache | None = None
        if settings.response_cache:
            self.cache = ResponseCache(
                max_entries=settings.response_cache_max_entries,
                max_bytes=settings.response_cache_max_bytes,
            )
        self.store: DocumentStore | None = None
        if settings.document_store and database.engine.url.database not in (None, "", ":memory:"):
            self.store = DocumentStore(
                database,
                max_documents=settings.document_store_max_documents,
                review_grace_days=settings.review_grace_days,
                connect_timeout=settings.db_connect_timeout,
            )
        self.limiter = make_limiter(settings) if settings.rate_limit_enabled else None
        self.metrics = (
            Metrics(
                engine=database.engine,
                cache=self.cache,
                store=self.store,
                limiter=self.limiter if isinstance(self.limiter, MemoryLimiter) else None,
            )
            if settings.metrics_enabled
            else None
        )
        self.verifier = KeyVerifier(database, ttl=settings.api_key_cache_seconds)
        self.anonymous_rate = parse_rate(settings.rate_limit_anon)
        self.security = SecurityPolicy(
            hsts_seconds=settings.hsts_seconds, frame_origins=settings.cors_origins
        )
        self.resolver = ClientIpResolver(settings.trusted_proxies)
        self._watcher: invalidation.Watcher | None = None

    def install(self, app: FastAPI) -> None:
        """Call last in create_app: middleware added last runs first."""
        app.state.response_cache = self.cache
        app.state.document_store = self.store
        app.state.metrics = self.metrics
        app.state.rate_limiter = self.limiter
        app.add_middleware(
            HttpCacheMiddleware, settings=self.settings, cache=self.cache, store=self.store
        )

    def wrap(self, stack: ASGIApp) -> ASGIApp:
        """The edge layers around the built Starlette stack (see the module docstring)."""
        settings = self.settings
        app: ASGIApp = BodyLimitMiddleware(stack, max_bytes=settings.max_body_bytes)
        app = KeyCheckMiddleware(app, verifier=self.verifier)
        if self.limiter is not None:
            app = RateLimitMiddleware(
                app,
                limiter=self.limiter,
                anonymous=self.anonymous_rate,
                keyed=parse_rate(settings.rate_limit_key),
                verifier=self.verifier,
                ipv6_prefix=settings.rate_limit_ipv6_prefix,
            )
        if settings.cors_origins:
            app = CorsMiddleware(
                app,
                origins=settings.cors_origins,
                allow_credentials=settings.cors_allow_credentials,
            )
        app = ObservabilityMiddleware(
            app,
            metrics=self.metrics,
            resolver=self.resolver,
            access_log=settings.access_log,
        )
        return SecurityHeadersMiddleware(app, policy=self.security)

    def front(self, framework: ASGIApp) -> ASGIApp:
        """The fast lane in front of the framework (`framework` is FastAPI's `__call__`)."""
        if self.cache is None and self.store is None:
            return framework
        limits = (
            RateLimit(self.limiter, self.anonymous_rate, self.settings.rate_limit_ipv6_prefix)
            if self.limiter
            else None
        )
        return FastLane(
            framework,
            cache=self.cache,
            store=self.store,
            security=self.security,
            cors=bool(self.settings.cors_origins),
            rate_limit=limits,
            resolver=self.resolver,
            metrics=self.metrics,
            access_log=self.settings.access_log,
        )

    def start(self) -> None:
        if self.cache is None:
            return
        self._watcher = invalidation.watcher_for(
            self.settings.database_url, self.cache, self.settings.cache_poll_seconds
        )
        if self._watcher is not None:
            self._watcher.start()

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self.limiter is not None:
            await self.limiter.close()
        if self.store is not None:
            await self.store.close()
