"""Request ids, JSON access logs and Prometheus metrics."""

import json
import logging
import re
import sys

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.db import Database
from app.logs import JsonFormatter, log_config
from tests.support.apps import SettingsApp

DETAIL = "/v1/treatments/immunotherapy"


@pytest.fixture
def seeded_client(seeded: Database, app: FastAPI, client: TestClient) -> tuple[TestClient, FastAPI]:
    return client, app


def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def labels(**values: str) -> frozenset[tuple[str, str]]:
    return frozenset(values.items())


def test_a_safe_request_id_is_echoed_and_an_unsafe_one_replaced(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "abc.DEF_123-x"})
    for unsafe in ("a b", "x" * 129, "ok\u00e9".encode(), "a/b", ""):
        replaced = client.get("/healthz", headers={"X-Request-ID": unsafe})
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"]), unsafe

    assert given.headers["x-request-id"] == "abc.DEF_123-x"
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz").headers["x-request-id"])


@pytest.mark.parametrize(
    ("path", "status"), [("/v1/nope", 404), ("/v1/treatments?bogus=1", 400), (DETAIL, 404)]
)
def test_every_problem_carries_the_request_id(client: TestClient, path: str, status: int) -> None:
    answer = client.get(path, headers={"X-Request-ID": "trace-42"})

    assert answer.status_code == status
    assert answer.json()["request_id"] == "trace-42"


def test_an_unhandled_error_still_gets_the_request_id_header_and_body(
    settings_app: SettingsApp,
) -> None:
    app = settings_app()  # its own: the test adds a route

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/boom", headers={"X-Request-ID": "r-500"})

    assert answer.status_code == 500
    assert answer.headers["x-request-id"] == "r-500"
    assert answer.json()["request_id"] == "r-500"
    assert "kaboom" not in answer.text


def test_one_json_access_line_per_request_without_secrets(
    client: TestClient, caplog: pytest.LogCaptureFixture, keys: dict[str, str]
) -> None:
    caplog.set_level(logging.INFO, logger="app.access")
    client.get(
        "/v1/treatments/some-slug?api_key=sekrit-query&q=private-words",
        headers={"Authorization": f"Bearer {keys['editor']}", "X-Request-ID": "log-1"},
    )

    records = [r for r in caplog.records if r.name == "app.access"]
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    entry = json.loads(line)
    assert entry["route"] == "/v1/treatments/{slug}"
    assert entry["method"] == "GET"
    assert entry["status"] == 400
    assert entry["request_id"] == "log-1"
    assert entry["client_ip"] == "testclient"
    assert entry["duration_ms"] >= 0
    for secret in ("sekrit", "private-words", "api_key", "Bearer", "some-slug", keys["editor"]):
        assert secret not in line


def test_the_log_config_formats_everything_as_json() -> None:
    config = log_config()

    assert config["formatters"]["json"]["()"] == "app.logs.JsonFormatter"
    assert config["loggers"]["uvicorn.access"]["level"] == "WARNING"
    try:
        raise ValueError("inner")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "f", 1, "failed %s", ("here",), None)
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here" and "ValueError: inner" in entry["exception"]


def test_requests_are_counted_by_route_template_and_status_including_cache_hits(
    seeded_client: tuple[TestClient, FastAPI],
) -> None:
    client, _ = seeded_client
    for _ in range(3):
        assert client.get(DETAIL).status_code == 200
    client.get("/v1/treatments/nope")
    client.head(DETAIL)
    client.get("/no/such/path/123")

    found = samples(client)
    detail = labels(method="GET", route="/v1/treatments/{slug}", status="200")
    assert found[("http_requests_total", detail)] == 3
    assert found[("http_request_duration_seconds_count", detail)] == 3
    not_found = labels(method="GET", route="/v1/treatments/{slug}", status="404")
    assert found[("http_requests_total", not_found)] == 1
    head = labels(method="HEAD", route="/v1/treatments/{slug}", status="200")
    assert found[("http_requests_total", head)] == 1
    missing = labels(method="GET", route="unmatched", status="404")
    assert found[("http_requests_total", missing)] == 1
    assert not any("immunotherapy" in str(key) or "123" in str(key) for key in found)
    assert found[("response_cache_hits_total", frozenset())] >= 3
    assert found[("response_cache_misses_total", frozenset())] >= 1


def test_database_pool_gauges_are_read_at_scrape_time(
    seeded_client: tuple[TestClient, FastAPI],
) -> None:
    client, _ = seeded_client
    client.get("/v1/faqs")

    found = samples(client)
    assert found[("db_pool_size", frozenset())] >= 0
    assert found[("db_pool_checked_out", frozenset())] == 0


def test_registered_gauges_appear_and_a_failing_one_is_left_out(
    seeded_client: tuple[TestClient, FastAPI],
) -> None:
    client, app = seeded_client
    backlog = [7.0]
    app.state.metrics.register_gauge("webhook_backlog", "Deliveries waiting.", lambda: backlog[0])
    app.state.metrics.register_gauge("broken_gauge", "Raises.", lambda: 1 / 0)

    first = samples(client)
    backlog[0] = 2.0
    second = samples(client)

    assert first[("webhook_backlog", frozenset())] == 7
    assert second[("webhook_backlog", frozenset())] == 2
    assert not any(name == "broken_gauge" for name, _ in first)
    with pytest.raises(ValueError, match="already registered"):
        app.state.metrics.register_gauge("webhook_backlog", "again", lambda: 0.0)
    with pytest.raises(ValueError, match="not a valid"):
        app.state.metrics.register_gauge("bad name", "x", lambda: 0.0)


def test_metrics_are_not_cached_and_can_be_switched_off(
    client: TestClient, settings_app: SettingsApp
) -> None:
    answer = client.get("/metrics")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "webhook_backlog" not in answer.text, "no gauge for what does not exist"
    assert client.post("/metrics").status_code == 405

    off = settings_app(metrics_enabled=False)
    with TestClient(off) as quiet:
        assert quiet.get("/metrics").status_code == 404
