"""Only a verified API key makes a request keyed: any other Authorization header
is a 401 at the edge, before the response cache, the render slots or a route."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.db import Database
from app.http.response_cache import ResponseCache
from app.services import api_key as api_key_service
from models import Role
from tests.support.apps import SettingsApp
from tests.support.factories import make


class Renders:
    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def renders() -> Renders:
    return Renders()


@pytest.fixture
def counted(settings_app: SettingsApp, renders: Renders) -> Iterator[TestClient]:
    """An app of its own with a public content route under /v1/ that counts its renders."""
    app = settings_app()

    @app.get("/v1/render-probe")
    def render_probe() -> dict[str, int]:
        renders.count += 1
        return {"renders": renders.count}

    with TestClient(app) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_unknown_key_on_a_public_read_is_refused_before_anything_renders(
    counted: TestClient, renders: Renders, keys: dict[str, str]
) -> None:
    unknown = counted.get("/v1/render-probe", headers=bearer("tca_" + "x" * 43))
    revoked = counted.get("/v1/render-probe", headers=bearer(keys["revoked"]))
    valid = counted.get("/v1/render-probe", headers=bearer(keys["editor"]))

    assert (unknown.status_code, revoked.status_code, valid.status_code) == (401, 401, 200)
    assert renders.count == 1, "only the verified key reached the route"
    assert unknown.json()["status"] == 401
    assert unknown.json()["request_id"] == unknown.headers["x-request-id"]
    assert unknown.headers["cache-control"] == "no-store"
    assert valid.headers["cache-control"] == "no-store", "a keyed answer is still never cached"


def test_any_scheme_but_bearer_is_refused_with_a_bare_challenge(counted: TestClient) -> None:
    for value in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "tca_no_scheme"):
        answer = counted.get("/v1/render-probe", headers={"Authorization": value})
        assert answer.status_code == 401, value
        assert answer.headers["www-authenticate"] == 'Bearer realm="editorial"', value


def test_a_cached_answer_is_not_served_to_an_invented_key(
    client: TestClient, app: FastAPI, database: Database
) -> None:
    make(database, "treatments", slug="cached-one", title="Cached one (sample)")
    assert client.get("/v1/treatments/cached-one").status_code == 200
    cache = app.state.response_cache
    assert isinstance(cache, ResponseCache) and len(cache) >= 1
    hits = cache.hits

    refused = client.get("/v1/treatments/cached-one", headers=bearer("made-up"))

    assert refused.status_code == 401
    assert "Cached one" not in refused.text
    assert cache.hits == hits


def test_the_check_runs_with_rate_limiting_off_and_under_fhir_as_an_outcome(
    settings_app: SettingsApp,
) -> None:
    app = settings_app(rate_limit_enabled=False)
    with TestClient(app) as client:
        plain = client.get("/v1/treatments", headers=bearer("made-up"))
        fhir = client.get("/fhir/r4/metadata", headers=bearer("made-up"))

    assert plain.status_code == 401
    assert fhir.status_code == 401
    assert fhir.json()["resourceType"] == "OperationOutcome"


def test_probes_ignore_the_header(client: TestClient) -> None:
    assert client.get("/healthz", headers=bearer("made-up")).status_code == 200
    assert client.get("/metrics", headers=bearer("made-up")).status_code == 200


def test_a_verdict_is_remembered_for_the_configured_time(
    settings_app: SettingsApp, database: Database
) -> None:
    """Within API_KEY_CACHE_SECONDS a worker does not ask the database again, so a
    key revoked meanwhile still reads as keyed; with 0 it asks every time."""
    for ttl, after_revoking in ((60.0, 200), (0.0, 401)):
        with database.transaction(write=True) as session:
            key, secret = api_key_service.create_key(session, name=f"ttl {ttl}", role=Role.editor)
        app = settings_app(api_key_cache_seconds=ttl)
        with TestClient(app) as client:
            before = client.get("/v1/treatments", headers=bearer(secret)).status_code
            with database.transaction(write=True) as session:
                api_key_service.revoke_key(session, key_id=key.id)
            after = client.get("/v1/treatments", headers=bearer(secret)).status_code
            editorial = client.get("/v1/treatments?status=draft", headers=bearer(secret))

        assert (before, after) == (200, after_revoking), ttl
        assert editorial.status_code == 401, "editorial routes check the database every time"
