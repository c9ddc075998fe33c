"""ETags, 304s, Cache-Control, Surrogate-Key, gzip and the response cache, over HTTP.

The route walk covers every GET route the app has, so routers added later
are held to the same contract without new tests.
"""

import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Route

from app.config import Settings
from app.content.kinds import KINDS
from app.db import Database
from app.http.response_cache import ResponseCache
from app.services.change_hook import Action, Change, content_changed
from models import Faq, Treatment
from models.base import EditorialMixin, Status
from tests.support.apps import SettingsApp
from tests.support.factories import make

DETAIL = "/v1/treatments/immunotherapy"
REQUIRED_QUERY_GUESSES = {"q": "immunotherapy"}


def _cache(app: FastAPI) -> ResponseCache:
    cache = app.state.response_cache
    assert isinstance(cache, ResponseCache)
    return cache


@pytest.fixture
def cached_client(seeded: Database, app: FastAPI, client: TestClient) -> tuple[TestClient, FastAPI]:
    return client, app


def _fill_fhir(path: str, client: TestClient) -> str | None:
    """A FHIR read URL: the first id its own search returns."""
    search = path.rsplit("/", 1)[0]
    entries = client.get(search).json().get("entry") or []
    return f"{search}/{entries[0]['resource']['id']}" if entries else None


def _fill(path: str, database: Database) -> str | None:
    """A concrete URL for a route template, using seeded content; None if unknown."""
    segments = [s for s in path.strip("/").split("/") if s != "editorial"]
    kind = KINDS.get(segments[1]) if len(segments) > 1 else None

    def value(name: str) -> str | None:
        if name in ("webhook_id", "delivery_id"):
            return "sample-missing"  # admin-only routes: 401 here, whatever the id
        if kind is None:
            return None
        with database.transaction() as session:
            item = session.scalars(
                select(kind.model).where(kind.model.status == Status.published).limit(1)
            ).first()
        if item is None:
            return None
        return {"slug": item.slug, "id": item.id, "kind": kind.path, "number": "1"}.get(name)

    filled = path
    for name in re.findall(r"{([^}:]+)(?::[^}]*)?}", path):
        replacement = value(name)
        if replacement is None:
            return None
        filled = re.sub(r"{" + name + r"(?::[^}]*)?}", replacement, filled)
    return filled


def _get_routes(app: FastAPI) -> list[tuple[str, list[str]]]:
    """Every GET route: the documented ones (with their required query
    parameters) from the OpenAPI document, plus undocumented ones like /docs."""
    found = {
        path: [
            p["name"]
            for p in op["get"].get("parameters", [])
            if p["in"] == "query" and p.get("required")
        ]
        for path, op in app.openapi()["paths"].items()
        if "get" in op
    }
    for route in app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or set()):
            found.setdefault(route.path, [])
    return sorted(found.items())


def test_every_get_route_answers_a_matching_if_none_match_with_304(
    cached_client: tuple[TestClient, FastAPI], seeded: Database
) -> None:
    client, app = cached_client
    checked, unresolved = [], []
    for path, required in _get_routes(app):
        fhir_read = path.startswith("/fhir/") and "{" in path
        url = _fill_fhir(path, client) if fhir_read else _fill(path, seeded)
        if url is None or any(name not in REQUIRED_QUERY_GUESSES for name in required):
            unresolved.append(path)
            continue
        params = {name: REQUIRED_QUERY_GUESSES[name] for name in required}
        first = client.get(url, params=params)
        if first.status_code in {401, 403}:
            continue  # editorial routes: no key here, and errors carry no validator
        assert first.status_code == 200, (path, first.status_code, first.text)
        # FHIR reads carry FHIR's version-based weak tag W/"<versionId>".
        assert first.headers["etag"].startswith(('"', 'W/"')), path
        second = client.get(url, params=params, headers={"If-None-Match": first.headers["etag"]})
        assert second.status_code == 304, path
        assert second.content == b""
        for header in ("etag", "cache-control", "vary"):
            assert second.headers[header] == first.headers[header], (path, header)
        checked.append(path)
    assert {"/v1/treatments", "/v1/treatments/{slug}", "/v1/treatments/{slug}/faqs"} <= set(checked)
    assert not unresolved, f"teach _fill these routes: {unresolved}"


@pytest.mark.parametrize(
    "header",
    ['"nope", {etag}', "W/{etag}", "*", '{etag}, "other"', "W/{gzip_stripped}"],
)
def test_if_none_match_lists_star_and_weak_forms_match(
    cached_client: tuple[TestClient, FastAPI], header: str
) -> None:
    client, _ = cached_client
    etag = client.get(DETAIL).headers["etag"]
    value = header.format(etag=etag, gzip_stripped=etag.replace("-gzip", ""))
    assert client.get(DETAIL, headers={"If-None-Match": value}).status_code == 304


def test_if_none_match_is_evaluated_despite_request_no_cache(
    cached_client: tuple[TestClient, FastAPI],
) -> None:
    client, _ = cached_client
    etag = client.get(DETAIL).headers["etag"]
    headers = {"If-None-Match": etag, "Cache-Control": "no-cache"}
    assert client.get(DETAIL, headers=headers).status_code == 304
    assert client.get(DETAIL, headers={"If-None-Match": '"other"'}).status_code == 200


def test_cache_control_public_route_override_auth_and_errors(
    cached_client: tuple[TestClient, FastAPI], settings: Settings
) -> None:
    client, _ = cached_client
    assert client.get(DETAIL).headers["cache-control"] == settings.cache_control_public
    assert client.get("/healthz").headers["cache-control"] == "no-store"
    assert client.get("/v1/treatments/nope").headers["cache-control"] == "no-store"
    authed = client.get(DETAIL, headers={"Authorization": "Bearer x"})
    assert authed.headers["cache-control"] == "no-store"


def test_surrogate_key_names_every_item_and_the_listed_kind(
    cached_client: tuple[TestClient, FastAPI],
) -> None:
    client, _ = cached_client
    detail = client.get(DETAIL)
    keys = set(detail.headers["surrogate-key"].split())
    data = detail.json()["data"]
    assert {
        data["id"],
        *(f["id"] for f in data["faqs"]),
        *(d["id"] for d in data["doctors"]),
    } <= keys
    assert data["administration_routes"][0]["route"]["id"] in keys
    assert "faqs" in keys  # a newly published FAQ changes the embedded list
    assert "treatments" in client.get("/v1/treatments").headers["surrogate-key"].split()
    assert "faqs" in client.get(f"{DETAIL}/faqs").headers["surrogate-key"].split()


def test_gzip_above_one_kib_only_and_vary_is_merged(
    cached_client: tuple[TestClient, FastAPI],
) -> None:
    client, _ = cached_client
    big = client.get(DETAIL, headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert big.headers["vary"] == "Accept, Accept-Language, Accept-Encoding"
    small = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    for refused in ("identity", "gzip;q=0", "br", ""):
        plain = client.get(DETAIL, headers={"Accept-Encoding": refused})
        assert "content-encoding" not in plain.headers, refused
        assert plain.json() == big.json()
        assert plain.headers["etag"] == big.headers["etag"].replace("-gzip", "")


# Added per request by the edge layers, outside the cache (app/http/install.py).
PER_REQUEST_HEADERS = {"x-request-id", "ratelimit-remaining", "ratelimit-reset"}


def _stored_headers(response: httpx.Response) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.headers.multi_items() if k not in PER_REQUEST_HEADERS]


def test_cache_hit_headers_and_bytes_equal_the_miss(
    cached_client: tuple[TestClient, FastAPI],
) -> None:
    client, app = cached_client
    for encoding in ("gzip", "identity"):
        miss = client.get(DETAIL, headers={"Accept-Encoding": encoding})
        hits = _cache(app).hits
        hit = client.get(DETAIL, headers={"Accept-Encoding": encoding})
        assert _cache(app).hits == hits + 1
        assert _stored_headers(hit) == _stored_headers(miss)
        assert hit.content == miss.content
        head = client.head(DETAIL, headers={"Accept-Encoding": encoding})
        assert head.content == b""
        assert _stored_headers(head) == _stored_headers(miss)


def test_hit_answers_304_and_query_order_does_not_matter(
    cached_client: tuple[TestClient, FastAPI],
) -> None:
    client, app = cached_client
    etag = client.get("/v1/treatments?limit=5&offset=0").headers["etag"]
    hits = _cache(app).hits
    response = client.get("/v1/treatments?offset=0&limit=5", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert _cache(app).hits == hits + 1


def test_cache_keeps_languages_and_representations_apart(
    cached_client: tuple[TestClient, FastAPI],
) -> None:
    client, app = cached_client
    before = len(_cache(app))
    client.get(DETAIL, headers={"Accept-Language": "en"})
    client.get(DETAIL, headers={"Accept-Language": "hi"})
    ld = client.get(DETAIL, headers={"Accept": "application/ld+json"})
    json_ = client.get(DETAIL, headers={"Accept": "application/json"})
    assert len(_cache(app)) == before + 4
    assert ld.headers["content-type"] == "application/ld+json"
    assert json_.headers["content-type"] == "application/json"
    assert ld.headers["etag"] != json_.headers["etag"]


def test_requests_with_credentials_never_use_or_fill_the_cache(
    cached_client: tuple[TestClient, FastAPI],
) -> None:
    client, app = cached_client
    client.get(DETAIL)
    hits, size = _cache(app).hits, len(_cache(app))
    for headers in ({"Authorization": "Bearer k"}, {"Cookie": "session=1"}):
        client.get(DETAIL, headers=headers)
        client.get("/v1/treatments?limit=3", headers=headers)
    assert (_cache(app).hits, len(_cache(app))) == (hits, size)


def test_cache_is_bounded_and_evicts_least_recently_used(
    seeded: Database, settings_app: SettingsApp
) -> None:
    app = settings_app(response_cache_max_entries=2)
    with TestClient(app) as client:
        for limit in (1, 2, 1, 3):  # 1 is used again, so 2 is the oldest when 3 arrives
            client.get(f"/v1/treatments?limit={limit}")
        cache = _cache(app)
        assert len(cache) == 2
        hits = cache.hits
        client.get("/v1/treatments?limit=1")
        client.get("/v1/treatments?limit=3")
        assert cache.hits == hits + 2
        client.get("/v1/treatments?limit=2")
        assert cache.hits == hits + 2


def test_cache_can_be_switched_off(seeded: Database, settings_app: SettingsApp) -> None:
    app = settings_app(response_cache=False)
    with TestClient(app) as client:
        first = client.get(DETAIL)
        assert (
            client.get(DETAIL, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        )
    assert app.state.response_cache is None


def _retitle(
    database: Database, model: type[Treatment] | type[Faq], slug: str, **values: object
) -> None:
    with database.transaction(write=True) as session:
        item = session.scalars(select(model).where(model.slug == slug)).one()
        assert isinstance(item, EditorialMixin)
        for name, value in values.items():
            setattr(item, name, value)
        item.version += 1
        kind = "treatment" if model is Treatment else "faq"
        content_changed(session, change=Change(kind, item, Action.updated))


def test_draft_edits_never_change_public_bytes_and_publishing_shows_at_once(
    cached_client: tuple[TestClient, FastAPI], seeded: Database
) -> None:
    client, _ = cached_client
    before = client.get(DETAIL).content
    make(seeded, "faqs", status=Status.draft, slug="draft-faq", question="Sample draft?",
         answer="Sample.", treatment="immunotherapy")  # fmt: skip
    _retitle(seeded, Faq, "draft-faq", question="Sample draft, edited?")
    assert client.get(DETAIL).content == before

    with seeded.transaction(write=True) as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "draft-faq")).one()
        faq.status = Status.published
        content_changed(session, change=Change("faq", faq, Action.published))
    questions = [f["question"] for f in client.get(DETAIL).json()["data"]["faqs"]]
    assert "Sample draft, edited?" in questions
    assert "Sample draft, edited?" in client.get(f"{DETAIL}/faqs").text


def test_an_update_purges_every_page_that_shows_the_item(
    cached_client: tuple[TestClient, FastAPI], seeded: Database
) -> None:
    client, _ = cached_client
    urls = [DETAIL, f"{DETAIL}/faqs", "/v1/treatments", "/v1/treatments?limit=1"]
    for url in urls:
        client.get(url)
    _retitle(seeded, Treatment, "immunotherapy", title="Immunotherapy (retitled sample)")
    for url in urls:
        assert "Immunotherapy (retitled sample)" in client.get(url).text, url
