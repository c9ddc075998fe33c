"""The widget script and its demo page, through HTTP (the browser test renders them)."""

from fastapi.testclient import TestClient

from routers.embed import frame_ancestors
from tests.support.apps import SettingsApp


def test_script_is_served_as_cacheable_javascript(client: TestClient) -> None:
    response = client.get("/embed/treatment-faqs.js")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert 'customElements.define("treatment-faqs"' in response.text


def test_demo_page_embeds_the_widget_under_a_strict_csp(client: TestClient) -> None:
    response = client.get("/embed/demo")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<script src="/embed/treatment-faqs.js" defer></script>' in response.text
    assert '<treatment-faqs treatment="immunotherapy"></treatment-faqs>' in response.text
    assert '<html lang="en">' in response.text
    policy = dict(
        directive.split(" ", 1)
        for directive in response.headers["content-security-policy"].split("; ")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["style-src"].startswith("'sha256-")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'none'"


def test_demo_page_takes_treatment_and_lang(client: TestClient) -> None:
    response = client.get("/embed/demo", params={"treatment": "chemotherapy", "lang": "hi"})

    assert response.status_code == 200
    assert '<html lang="hi">' in response.text
    assert '<treatment-faqs treatment="chemotherapy">' in response.text


def test_demo_page_rejects_markup_in_its_parameters(client: TestClient) -> None:
    for params in ({"treatment": '"><script>alert(1)</script>'}, {"lang": 'en"><b>'}):
        response = client.get("/embed/demo", params=params)

        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert "<script>" not in response.text


def test_demo_page_may_be_framed_by_the_portal_allow_list(settings_app: SettingsApp) -> None:
    portal = settings_app(cors_origins=["https://portal.hospital.example"])

    with TestClient(portal) as portal_client:
        policy = portal_client.get("/embed/demo").headers["content-security-policy"]

    assert "frame-ancestors https://portal.hospital.example;" in policy


def test_frame_ancestors_drops_values_that_are_not_origins() -> None:
    assert frame_ancestors([]) == "'none'"
    assert frame_ancestors(["https://a.example/", "http://b.example:8080"]) == (
        "https://a.example http://b.example:8080"
    )
    assert frame_ancestors(["https://a.example; script-src *"]) == "'none'"
    assert frame_ancestors(["*", "https://a.example"]) == "*"


def test_openapi_describes_the_embed_routes_truthfully(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    script = paths["/embed/treatment-faqs.js"]["get"]["responses"]["200"]["content"]
    demo = paths["/embed/demo"]["get"]
    assert list(script) == ["text/javascript"]
    assert list(demo["responses"]["200"]["content"]) == ["text/html"]
    assert {p["name"] for p in demo["parameters"]} >= {"treatment", "lang"}
