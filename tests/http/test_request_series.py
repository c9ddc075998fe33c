"""The request counters are hand-kept lists: they must expose exactly what
prometheus_client's own Counter and Histogram would for the same requests."""

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from app.http.metrics import LATENCY_BUCKETS, Metrics

# On, just below and just above a bound, beyond the last bound, and zero.
OBSERVED = [
    ("GET", "/v1/treatments/{slug}", 200, 0.001),
    ("GET", "/v1/treatments/{slug}", 200, 0.0009),
    ("GET", "/v1/treatments/{slug}", 200, 0.0011),
    ("GET", "/v1/treatments/{slug}", 304, 0.0),
    ("HEAD", "/v1/faqs", 200, 10.0),
    ("HEAD", "/v1/faqs", 200, 12.5),
    ("BREW", "/v1/faqs", 405, 0.3),
]


def _reference() -> list[str]:
    registry = CollectorRegistry(auto_describe=False)
    labels = ["method", "route", "status"]
    counter = Counter("http_requests", "x", labels, registry=registry)
    histogram = Histogram(
        "http_request_duration_seconds", "x", labels, buckets=LATENCY_BUCKETS, registry=registry
    )
    for method, route, status, seconds in OBSERVED:
        values = ("OTHER" if method == "BREW" else method, route, str(status))
        counter.labels(*values).inc()
        histogram.labels(*values).observe(seconds)
    return _samples(generate_latest(registry))


def _samples(exposition: bytes) -> list[str]:
    """Sample lines only: HELP text differs, and `_created` is prometheus_client's own."""
    lines = exposition.decode().splitlines()
    wanted = ("http_requests_total", "http_request_duration_seconds_")
    return sorted(
        line for line in lines if line.startswith(wanted) and "_created" not in line.split("{")[0]
    )


def test_exposition_matches_prometheus_clients_own_counter_and_histogram() -> None:
    metrics = Metrics(engine=None, cache=None)
    for observation in OBSERVED:
        metrics.observe(*observation)
    ours = _samples(metrics.render())
    assert ours == _reference()
    assert 'http_request_duration_seconds_bucket{le="0.001",method="GET",' in "\n".join(ours)


def test_count_is_the_inf_bucket_and_sum_adds_up() -> None:
    metrics = Metrics(engine=None, cache=None)
    for _ in range(3):
        metrics.observe("GET", "/healthz", 200, 0.5)
    text = metrics.render().decode()
    assert (
        'http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 3.0'
        in text
    )
    assert 'le="+Inf",method="GET",route="/healthz",status="200"} 3.0' in text
    assert (
        'http_request_duration_seconds_sum{method="GET",route="/healthz",status="200"} 1.5' in text
    )
    assert 'http_requests_total{method="GET",route="/healthz",status="200"} 3.0' in text
