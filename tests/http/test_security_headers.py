"""Security headers on every answer, the docs page's CSP, and docs switching."""

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from app.db import Database
from tests.support.apps import SettingsApp

DETAIL = "/v1/treatments/immunotherapy"


@pytest.fixture
def seeded_client(seeded: Database, client: TestClient) -> TestClient:
    return client


def assert_secured(answer: Response) -> None:
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "server" not in answer.headers
    assert "strict-transport-security" not in answer.headers


def test_headers_are_on_misses_hits_304s_and_problems(seeded_client: TestClient) -> None:
    miss = seeded_client.get(DETAIL)
    hit = seeded_client.get(DETAIL)
    not_modified = seeded_client.get(DETAIL, headers={"If-None-Match": miss.headers["etag"]})
    problem = seeded_client.get("/v1/treatments/nope")
    preflight = seeded_client.options("/v1/faqs")

    assert not_modified.status_code == 304
    for answer in (miss, hit, not_modified, problem, preflight):
        assert_secured(answer)
    assert "content-security-policy" not in miss.headers, "CSP is for HTML pages"


def test_an_unhandled_500_is_secured_too(settings_app: SettingsApp) -> None:
    app = settings_app()  # its own: the test adds a route

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as client:
        assert_secured(client.get("/boom"))


def test_hsts_is_sent_only_when_configured(settings_app: SettingsApp) -> None:
    app = settings_app(hsts_seconds=31536000)
    with TestClient(app) as client:
        answer = client.get("/healthz")

    assert answer.headers["strict-transport-security"] == "max-age=31536000"


def test_any_request_with_authorization_gets_no_store(
    seeded_client: TestClient, settings_app: SettingsApp
) -> None:
    app = settings_app()  # its own: the test adds a route

    @app.post("/echo")
    def echo() -> dict[str, str]:
        return {"ok": "yes"}

    auth = {"Authorization": "Bearer some-key"}
    with TestClient(app) as client:
        posted = client.post("/echo", headers=auth)
    public = seeded_client.get(DETAIL)
    keyed = seeded_client.get(DETAIL, headers=auth)

    assert posted.headers["cache-control"] == "no-store"
    assert keyed.headers["cache-control"] == "no-store"
    assert public.headers["cache-control"].startswith("public")
    assert len(keyed.headers.get_list("cache-control")) == 1


def test_docs_render_swagger_under_a_csp_that_allows_exactly_its_script(
    client: TestClient,
) -> None:
    docs = client.get("/docs")

    assert docs.status_code == 200
    assert "SwaggerUIBundle" in docs.text and "swagger-ui-bundle.js" in docs.text
    policy = docs.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/" in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["connect-src"] == "'self'"
    assert "fastapi.tiangolo.com" not in docs.text, "no third party learns who reads the docs"
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_html_keeps_its_own_csp_and_frame_ancestors_follow_the_portals(
    settings_app: SettingsApp, seeded: Database
) -> None:
    with TestClient(settings_app(cors_origins=["https://portal.example"])) as client:
        demo = client.get("/embed/demo", params={"treatment": "immunotherapy"})
        docs = client.get("/docs")

    assert demo.headers["content-security-policy"].count("frame-ancestors") == 1
    assert "style-src 'sha256-" in demo.headers["content-security-policy"]
    assert "frame-ancestors https://portal.example" in docs.headers["content-security-policy"]


def test_html_without_a_policy_gets_a_strict_one(settings_app: SettingsApp) -> None:
    from starlette.responses import HTMLResponse

    app = settings_app()  # its own: the test adds a route

    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return "<p>hi</p>"

    with TestClient(app) as client:
        policy = client.get("/page").headers["content-security-policy"]

    assert policy.startswith("default-src 'none'") and "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    ("environment", "enabled", "served"),
    [
        ("production", None, False),
        ("production", True, True),
        ("test", None, True),
        ("development", False, False),
    ],
)
def test_docs_and_openapi_follow_docs_enabled(
    settings_app: SettingsApp, environment: str, enabled: bool | None, served: bool
) -> None:
    app = settings_app(environment=environment, docs_enabled=enabled)
    with TestClient(app) as client:
        codes = {client.get("/docs").status_code, client.get("/openapi.json").status_code}

    assert codes == ({200} if served else {404})
