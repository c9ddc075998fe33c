"""CORS from the configured portal origins; nothing for anyone else."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.config import Settings
from tests.support.apps import SettingsApp

PORTAL = "https://portal.hospital.example"


@pytest.fixture
def cors_client(settings_app: SettingsApp) -> Iterator[TestClient]:
    app = settings_app(cors_origins=[PORTAL])
    with TestClient(app) as client:
        yield client


def test_preflight_from_the_portal_allows_reads_and_writes(cors_client: TestClient) -> None:
    response = cors_client.options(
        "/v1/treatments/immunotherapy",
        headers={
            "Origin": PORTAL,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "Authorization, If-Match, Content-Type",
        },
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == PORTAL
    assert "PATCH" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"]
    assert {"authorization", "if-match", "content-type"} <= set(allowed.split(", "))


def test_simple_request_from_the_portal_exposes_validators(cors_client: TestClient) -> None:
    response = cors_client.get("/v1/treatments", headers={"Origin": PORTAL})

    assert response.headers["access-control-allow-origin"] == PORTAL
    exposed = response.headers["access-control-expose-headers"]
    assert "ETag" in exposed and "Content-Language" in exposed
    assert "Origin" in response.headers["vary"]
    assert "etag" in response.headers


def test_other_origins_get_no_cors_headers(cors_client: TestClient) -> None:
    simple = cors_client.get("/v1/treatments", headers={"Origin": "https://evil.example"})
    preflight = cors_client.options(
        "/v1/treatments",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )

    for response in (simple, preflight):
        assert not [h for h in response.headers if h.startswith("access-control-")]
    assert preflight.status_code == 403
    assert preflight.headers["content-type"] == "application/problem+json"


def test_no_cors_headers_by_default(client: TestClient) -> None:
    response = client.get("/v1/treatments", headers={"Origin": PORTAL})

    assert not [h for h in response.headers if h.startswith("access-control-")]


def test_wildcard_origin_with_credentials_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        Settings(cors_origins=["*"], cors_allow_credentials=True, _env_file=None)
