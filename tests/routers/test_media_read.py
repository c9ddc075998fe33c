"""The public read API for media, through HTTP."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def _media(database: Database) -> None:
    make(database, "treatments", slug="cure-z", title="Cure Z (sample)")
    make(database, "clinics", slug="clinic-z", name="Clinic Z (sample)")
    make(database, "doctors", slug="doc-z", name="Doctor Z (sample)")
    make(database, "doctors", slug="doc-hidden", name="Hidden (sample)", status=Status.draft)
    make(database, "media", slug="video-b", kind="video", title="Video B (sample)",
         url="https://video.example/b", published_at="2024-05-01T10:00:00+05:30",
         treatments=["cure-z"], doctors=["doc-z", "doc-hidden"], clinics=["clinic-z"])  # fmt: skip
    make(database, "media", slug="article-a", kind="article", title="Article A (sample)")
    make(database, "media", slug="video-draft", kind="video", title="Draft (sample)",
         treatments=["cure-z"], status=Status.draft)  # fmt: skip


def _slugs(client: TestClient, **params: str) -> list[str]:
    response = client.get("/v1/media", params=params)
    assert response.status_code == 200, response.text
    return [m["slug"] for m in response.json()["data"]]


def test_seeded_video(client: TestClient, seeded: Database) -> None:
    video = client.get("/v1/media/launch-of-the-myeloma-clinic").json()["data"]

    assert video["kind"] == "video"
    assert [d["slug"] for d in video["doctors"]] == ["ragesh-nair"]
    assert [c["slug"] for c in video["clinics"]] == ["myeloma-clinic"]
    assert [t["slug"] for t in video["treatments"]] == ["immunotherapy"]


def test_list_and_filters(client: TestClient, database: Database) -> None:
    _media(database)

    body = client.get("/v1/media").json()

    assert [m["slug"] for m in body["data"]] == ["article-a", "video-b"]
    assert body["meta"]["total"] == 2
    video = body["data"][1]
    assert [d["slug"] for d in video["doctors"]] == ["doc-z"]
    assert video["published_at"] == "2024-05-01T04:30:00Z"
    assert _slugs(client, kind="video") == ["video-b"]
    assert _slugs(client, kind="article") == ["article-a"]
    assert _slugs(client, treatment="cure-z") == ["video-b"]
    assert _slugs(client, doctor="doc-z") == ["video-b"]
    assert _slugs(client, clinic="clinic-z") == ["video-b"]
    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert _slugs(client, updated_since=future) == []


def test_bad_filter_values_are_400s_naming_the_parameter(
    client: TestClient, database: Database
) -> None:
    _media(database)

    for name, value in (("kind", "podcast"), ("treatment", "nope"), ("doctor", "doc-hidden"),
                        ("clinic", "nope")):  # fmt: skip
        response = client.get("/v1/media", params={name: value})
        assert response.status_code == 400, (name, value)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == name


def test_detail_and_404s(client: TestClient, database: Database) -> None:
    _media(database)

    assert client.get("/v1/media/video-b").json()["data"]["url"] == "https://video.example/b"
    for slug in ("video-draft", "nothing"):
        response = client.get(f"/v1/media/{slug}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_sort_fields_and_pagination(client: TestClient, database: Database) -> None:
    _media(database)

    body = client.get(
        "/v1/media", params={"sort": "-title", "fields": "slug,kind", "limit": 1, "offset": 1}
    ).json()

    assert body["data"] == [{"slug": "article-a", "kind": "article"}]
    assert body["links"]["next"] is None
    assert client.get(body["links"]["prev"]).json()["data"] == [
        {"slug": "video-b", "kind": "video"}
    ]
