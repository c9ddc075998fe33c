"""The public read API for clinics, through HTTP."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def _clinics(database: Database) -> None:
    make(database, "treatments", slug="cure-y", title="Cure Y (sample)")
    make(database, "clinics", slug="clinic-b", name="Clinic B (sample)", treatments=["cure-y"],
         description="A sample clinic for **testing**.")  # fmt: skip
    make(database, "clinics", slug="clinic-a", name="Clinic A (sample)")
    make(database, "clinics", slug="clinic-draft", name="Clinic D (sample)",
         treatments=["cure-y"], status=Status.draft)  # fmt: skip
    make(database, "doctors", slug="doc-y", name="Doctor Y (sample)",
         clinics=["clinic-b", "clinic-draft"])  # fmt: skip
    make(database, "media", slug="clinic-article", kind="article", title="Article (sample)",
         clinics=["clinic-b"])  # fmt: skip


def _slugs(client: TestClient, **params: str) -> list[str]:
    response = client.get("/v1/clinics", params=params)
    assert response.status_code == 200, response.text
    return [c["slug"] for c in response.json()["data"]]


def test_seeded_clinic(client: TestClient, seeded: Database) -> None:
    clinic = client.get("/v1/clinics/myeloma-clinic").json()["data"]

    assert clinic["name"] == "Myeloma Clinic"
    assert [d["slug"] for d in clinic["doctors"]] == ["ragesh-nair"]
    assert [t["slug"] for t in clinic["treatments"]] == ["immunotherapy"]
    assert [m["kind"] for m in clinic["media"]] == ["video"]


def test_list_and_filters(client: TestClient, database: Database) -> None:
    _clinics(database)

    body = client.get("/v1/clinics").json()

    assert [c["slug"] for c in body["data"]] == ["clinic-a", "clinic-b"]
    assert body["meta"]["total"] == 2
    assert [d["slug"] for d in body["data"][1]["doctors"]] == ["doc-y"]
    assert _slugs(client, treatment="cure-y") == ["clinic-b"]
    assert _slugs(client, doctor="doc-y") == ["clinic-b"]
    assert _slugs(client, q="testing") == ["clinic-b"]
    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert _slugs(client, updated_since=future) == []


def test_bad_filter_values_are_400s_naming_the_parameter(
    client: TestClient, database: Database
) -> None:
    _clinics(database)

    for name, value in (("treatment", "nope"), ("doctor", "nope"), ("doctor", "Bad Slug")):
        response = client.get("/v1/clinics", params={name: value})
        assert response.status_code == 400, (name, value)
        assert response.json()["errors"][0]["field"] == name


def test_detail_with_media_and_404s(client: TestClient, database: Database) -> None:
    _clinics(database)

    clinic = client.get("/v1/clinics/clinic-b").json()["data"]

    assert clinic["description"]["html"] == "<p>A sample clinic for <strong>testing</strong>.</p>"
    assert [m["slug"] for m in clinic["media"]] == ["clinic-article"]
    for slug in ("clinic-draft", "no-clinic"):
        response = client.get(f"/v1/clinics/{slug}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_sort_fields_and_pagination(client: TestClient, database: Database) -> None:
    _clinics(database)

    body = client.get(
        "/v1/clinics", params={"sort": "-slug", "fields": "slug,name", "limit": 1}
    ).json()

    assert body["data"] == [{"slug": "clinic-b", "name": "Clinic B (sample)"}]
    assert body["links"]["prev"] is None
    assert client.get(body["links"]["next"]).json()["data"][0]["slug"] == "clinic-a"
