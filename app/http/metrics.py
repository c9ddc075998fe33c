"""Prometheus metrics: one registry per app, served at /metrics.

Per app rather than the global registry, because tests and the CLI build
many apps in one process. Requests are labelled by route template, never
the raw path, so a crawler cannot create unbounded series; state such as
cache hits and pool use is read at scrape time, so requests pay nothing.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import logging
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

from app.http.response_cache import ResponseCache

if TYPE_CHECKING:
    from app.http.cold_reads import DocumentStore
    from app.http.rate_limit import MemoryLimiter

logger = logging.getLogger("app.http.metrics")

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")

GaugeFn = Callable[[], float]


class Metrics:
    """The app's registry, the per-request observer and the scrape-time gauges."""

    def __init__(
        self,
        *,
        engine: Engine | None,
        cache: ResponseCache | None,
        store: "DocumentStore | None" = None,
        limiter: "MemoryLimiter | None" = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self._requests = RequestSeries(LATENCY_BUCKETS)
        self._gauges: dict[str, tuple[str, GaugeFn]] = {}
        self._lock = threading.Lock()
        self.registry.register(self._requests)
        self.registry.register(_StateCollector(self, engine, cache, store, limiter))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self._requests.observe(
            method if method in KNOWN_METHODS else "OTHER", route, status, seconds
        )

    def register_gauge(self, name: str, help: str, fn: GaugeFn) -> None:
        """Expose `fn()` as a gauge named `name`, read at every scrape.

        For state other features own (a webhook backlog, a queue length): the
        feature registers its gauge when it is installed, so a metric exists
        exactly when the thing it measures does.
        """
        if not _NAME.match(name):
            raise ValueError(f"{name!r} is not a valid Prometheus metric name")
        with self._lock:
            if name in self._gauges:
                raise ValueError(f"a gauge named {name!r} is already registered")
            self._gauges[name] = (help, fn)

    def gauges(self) -> list[tuple[str, str, GaugeFn]]:
        with self._lock:
            return [(name, help, fn) for name, (help, fn) in self._gauges.items()]

    def render(self) -> bytes:
        return generate_latest(self.registry)


class RequestSeries(Collector):
    """`http_requests_total` and `http_request_duration_seconds`, counted in plain lists.

    prometheus_client's labelled Counter and Histogram take a lock per update
    and walk the buckets in Python: about 3 µs a request, a third of what a
    response-cache hit costs in the fast lane. Here a request is one dict
    lookup, a bisect and two list additions; the families are built at scrape
    time. Updates come from the event loop's thread only (both callers are ASGI
    layers), so no lock is needed; a scrape copies each row in one C call, and
    a row's count is the sum of its buckets, so `_count` always equals the
    `+Inf` bucket.
    """

    def __init__(self, buckets: tuple[float, ...]) -> None:
        self.bounds = buckets
        # The bucket labels exactly as prometheus_client's own Histogram writes them.
        self.les = (*(_go_float(b) for b in buckets), "+Inf")
        # (method, route, status) -> [one count per bucket and +Inf..., sum of seconds]
        self._rows: dict[tuple[str, str, int], list[float]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = [0.0] * (len(self.bounds) + 2)
        row[bisect_left(self.bounds, seconds)] += 1  # `le` is inclusive, as bisect_left is
        row[-1] += seconds

    def collect(self) -> Iterator[Metric]:
        labels = ["method", "route", "status"]
        requests = CounterMetricFamily(
            "http_requests",
            "HTTP requests answered, by method, route template and status.",
            labels=labels,
        )
        latency = HistogramMetricFamily(
            "http_request_duration_seconds",
            "Time from the first byte of the request to the last of the response.",
            labels=labels,
        )
        for (method, route, status), live in list(self._rows.items()):
            row = list(live)
            buckets, running = [], 0.0
            for le, count in zip(self.les, row[:-1], strict=True):
                running += count
                buckets.append((le, running))
            values = [method, route, str(status)]
            requests.add_metric(values, running)
            latency.add_metric(values, buckets, sum_value=row[-1])
        yield requests
        yield latency


class _StateCollector(Collector):
    def __init__(
        self,
        metrics: Metrics,
        engine: Engine | None,
        cache: ResponseCache | None,
        store: "DocumentStore | None",
        limiter: "MemoryLimiter | None",
    ):
        self.metrics = metrics
        self.engine = engine
        self.cache = cache
        self.store = store
        self.limiter = limiter

    def collect(self) -> Iterator[Metric]:
        if self.cache is not None:
            yield _counter("response_cache_hits", "Answers sent from the response cache.",
                           self.cache.hits)  # fmt: skip
            yield _counter("response_cache_misses", "Cacheable lookups that missed.",
                           self.cache.misses)  # fmt: skip
            yield _gauge("response_cache_entries", "Entries held.", len(self.cache))
            yield _gauge("response_cache_bytes", "Bytes held.", self.cache.bytes)
        if self.store is not None:
            yield _counter("document_store_hits", "Answers sent from the document store.",
                           self.store.hits)  # fmt: skip
            yield _counter("document_store_misses", "Document-store lookups that missed.",
                           self.store.misses)  # fmt: skip
            yield _counter("document_store_errors", "Document-store reads or writes that failed.",
                           self.store.errors)  # fmt: skip
        if self.limiter is not None:
            yield _gauge("rate_limit_buckets", "In-memory rate-limit counters held.",
                         self.limiter.buckets)  # fmt: skip
            yield _counter("rate_limit_buckets_dropped",
                           "Rate-limit counters dropped, least recently used first, to stay "
                           "within RATE_LIMIT_MAX_BUCKETS.", self.limiter.dropped)  # fmt: skip
        pool = self.engine.pool if self.engine is not None else None
        if isinstance(pool, QueuePool):
            yield _gauge("db_pool_size", "Connections the pool keeps open.", pool.size())
            yield _gauge("db_pool_checked_out", "Connections in use by requests.",
                         pool.checkedout())  # fmt: skip
            yield _gauge("db_pool_overflow", "Connections opened beyond the pool size.",
                         max(pool.overflow(), 0))  # fmt: skip
        for name, help, fn in self.metrics.gauges():
            try:
                value = float(fn())
            except Exception:
                # One broken gauge must not take the whole scrape down.
                logger.warning("gauge %s failed; left out of this scrape", name, exc_info=True)
                continue
            yield _gauge(name, help, value)


def _go_float(value: float) -> str:
    text: str = floatToGoString(value)  # type: ignore[no-untyped-call]
    return text


def _counter(name: str, help: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, help, value=value)


def _gauge(name: str, help: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, help, value=value)
