"""Every absolute URL the API prints is under PUBLIC_BASE_URL, whatever the request says.

The test app's PUBLIC_BASE_URL is https://content.hospital.example; these
requests arrive with another Host, another scheme and forwarding headers
that nothing here trusts. Links that followed them would point at
evil.example, and the response cache would hand them to everyone after.
"""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.config import Settings
from app.db import Database
from app.http.response_cache import ResponseCache
from tests.support.factories import make

BASE = "https://content.hospital.example"
HOSTILE = {
    "Host": "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "Forwarded": "host=evil.example;proto=http",
}


@pytest.fixture
def evil_app(seeded: Database, app: FastAPI) -> tuple[TestClient, FastAPI]:
    """A client of the shared app whose requests go to http://evil.example."""
    return TestClient(app, base_url="http://evil.example"), app


def _urls(value: Any) -> list[str]:
    """Every string in the JSON that looks like an absolute http(s) URL."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in _urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in _urls(item)]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return [value]
    return []


def _ours(urls: list[str]) -> list[str]:
    """The URLs that point at this API (content may cite other sites: sources, photos)."""
    return [url for url in urls if "/v1/" in url or "/fhir/" in url]


def test_list_links_are_under_the_public_base(evil_app: tuple[TestClient, FastAPI]) -> None:
    client, _app = evil_app
    body = client.get("/v1/faqs", params={"limit": 1, "offset": 1}, headers=HOSTILE).json()

    links = body["links"]
    assert links["self"] == f"{BASE}/v1/faqs?limit=1&offset=1"
    assert links["next"] == f"{BASE}/v1/faqs?limit=1&offset=2"
    assert links["prev"] == f"{BASE}/v1/faqs?limit=1&offset=0"
    assert "evil.example" not in str(body)


def test_fhir_bundles_and_capability_are_under_the_public_base(
    evil_app: tuple[TestClient, FastAPI],
) -> None:
    client, _app = evil_app
    bundle = client.get("/fhir/r4/Practitioner", params={"_count": 1}, headers=HOSTILE).json()
    statement = client.get("/fhir/r4/metadata", headers=HOSTILE).json()

    assert bundle["entry"][0]["fullUrl"].startswith(f"{BASE}/fhir/r4/Practitioner/")
    assert {link["url"].split("?")[0] for link in bundle["link"]} == {
        f"{BASE}/fhir/r4/Practitioner"
    }
    assert statement["implementation"]["url"] == f"{BASE}/fhir/r4"
    for document in (bundle, statement):
        assert "evil.example" not in str(document)
        assert all(url.startswith(BASE) for url in _ours(_urls(document)))


def test_json_ld_and_rich_text_links_are_under_the_public_base(
    evil_app: tuple[TestClient, FastAPI], seeded: Database
) -> None:
    client, _app = evil_app
    make(
        seeded, "faqs", slug="sample-linked", question="Where is it explained?",
        answer="See [the treatment page](/v1/treatments/immunotherapy) (sample).",
    )  # fmt: skip
    treatment = client.get(
        "/v1/treatments/immunotherapy", headers={**HOSTILE, "Accept": "application/ld+json"}
    )
    doctor = client.get(
        "/v1/doctors/ragesh-nair", headers={**HOSTILE, "Accept": "application/ld+json"}
    )
    faq = client.get("/v1/faqs/sample-linked", headers=HOSTILE).json()["data"]

    for response in (treatment, doctor):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/ld+json")
        assert "evil.example" not in response.text
        assert all(url.startswith(BASE) for url in _ours(_urls(response.json())))
    assert f'href="{BASE}/v1/treatments/immunotherapy"' in faq["answer"]["html"]


def test_the_cache_does_not_key_on_host_or_scheme(evil_app: tuple[TestClient, FastAPI]) -> None:
    client, app = evil_app
    cache = app.state.response_cache
    assert isinstance(cache, ResponseCache)
    first = client.get("/v1/treatments?limit=2", headers=HOSTILE)
    hits = cache.hits

    again = client.get("/v1/treatments?limit=2", headers={"Host": "content.hospital.example"})
    other = TestClient(app, base_url="https://another.example").get("/v1/treatments?limit=2")

    assert cache.hits == hits + 2  # one entry, whichever Host or scheme asked
    assert first.content == again.content == other.content
    assert first.json()["links"]["self"] == f"{BASE}/v1/treatments?limit=2"


def _production(public_base_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        database_url="sqlite:///unused.db",
        environment="production",
        public_base_url=public_base_url,
        _env_file=None,
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost",
        "https://LOCALHOST.:8443",
        "https://api.localhost",
        "https://127.0.0.1",
        "https://127.8.9.10/content",
        "https://[::1]:8443",
        "https://[::ffff:127.0.0.1]",
        "https://0.0.0.0",
    ],
)
def test_production_refuses_a_loopback_public_base_url(url: str) -> None:
    with pytest.raises(ValidationError, match="refuses a loopback PUBLIC_BASE_URL"):
        _production(url)


def test_public_base_url_is_checked_and_normalised() -> None:
    assert _production("https://content.hospital.example/").public_base_url == BASE
    assert _production(f"{BASE}/api/").public_base_url == f"{BASE}/api"
    for bad in (
        "content.hospital.example",
        "ftp://x.example",
        f"{BASE}?a=1",
        "https://u@x.example",
    ):
        with pytest.raises(ValidationError, match="PUBLIC_BASE_URL"):
            _production(bad)
    development = Settings(database_url="sqlite:///unused.db", _env_file=None)  # type: ignore[call-arg]
    assert development.public_base_url == "http://127.0.0.1:8000"  # loopback is fine off production
