"""Every editorial route, found in the app's own route table, rejects missing,
bad and revoked keys (401) and roles that are too small (403)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.api.auth import route_role
from app.api.route_walk import leaf_routes
from app.config import Settings
from app.db import Database
from app.main import create_app
from models import ApiKey, Role
from tests.support.editorial import auth

# Only its routes are read, at collection time; it never serves a request.
ROUTE_APP = create_app(Settings(database_url="sqlite:///unused.db", _env_file=None))  # type: ignore[call-arg]


def _protected() -> list[tuple[str, str, Role | None]]:
    found = []
    for route in leaf_routes(ROUTE_APP.routes):
        if not isinstance(route, APIRoute):
            continue
        if not route.path.startswith("/v1"):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            role = route_role(route)
            if method != "GET" or role is not None:
                found.append((method, route.path, role))
    return found


PROTECTED = _protected()


@pytest.fixture
def route_client(client: TestClient) -> TestClient:
    return client


def _url(path: str) -> str:
    return path.replace("{slug}", "sample-missing").replace("{number}", "1")


def test_the_route_table_has_every_kind_of_editorial_write() -> None:
    paths = {(m, p) for m, p, _ in PROTECTED}
    assert ("POST", "/v1/faqs") in paths
    assert ("PATCH", "/v1/treatments/{slug}") in paths
    assert ("PUT", "/v1/treatments/{slug}/faqs/order") in paths
    assert ("GET", "/v1/audit") in paths
    assert len(PROTECTED) > 80


@pytest.mark.parametrize(("method", "path", "role"), PROTECTED, ids=lambda v: str(v))
def test_route_rejects_missing_bad_and_revoked_keys_and_small_roles(
    route_client: TestClient, keys: dict[str, str], method: str, path: str, role: Role | None
) -> None:
    assert role is not None, f"{method} {path} declares no role"
    url = _url(path)
    client = route_client

    missing = client.request(method, url, json={})
    bad = client.request(method, url, json={}, headers=auth("tca_not-a-real-key"))
    revoked = client.request(method, url, json={}, headers=auth(keys["revoked"]))

    for response in (missing, bad, revoked):
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"] == "application/problem+json"
    for smaller in [r for r in Role if r.rank < role.rank]:
        response = client.request(method, url, json={}, headers=auth(keys[smaller.value]))
        assert response.status_code == 403, (smaller, response.text)


def test_public_reads_need_no_key(client: TestClient) -> None:
    assert client.get("/v1/treatments").status_code == 200


def test_preview_needs_a_key(client: TestClient) -> None:
    response = client.get("/v1/treatments/anything", params={"status": "draft"})

    assert response.status_code == 401


@pytest.mark.slow
def test_cli_creates_lists_and_revokes_keys(
    client: TestClient, database: Database, database_url: str
) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    tool = str(Path(sys.executable).with_name("treatments"))

    def run(*args: str) -> str:
        done = subprocess.run([tool, *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    secret = run("keys", "create", "--role", "editor", "--name", "Content team").splitlines()[-1]
    assert secret.startswith("tca_")
    assert client.get("/v1/editorial/treatments", headers=auth(secret)).status_code == 200
    with database.transaction() as session:
        key = session.scalars(select(ApiKey)).one()
    assert key.key_hash != secret and secret not in key.key_hash
    assert key.last_used_at is not None

    listing = run("keys", "list")
    assert "Content team" in listing and key.key_prefix in listing and secret not in listing

    run("keys", "revoke", key.id)
    assert client.get("/v1/editorial/treatments", headers=auth(secret)).status_code == 401


def test_every_openapi_reference_resolves() -> None:
    spec = ROUTE_APP.openapi()
    schemas = spec["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(spec)))

    assert refs <= set(schemas)
    patch_body = spec["paths"]["/v1/faqs/{slug}"]["patch"]["requestBody"]["content"]
    ref = patch_body["application/merge-patch+json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "answer" in schemas[ref]["properties"]
