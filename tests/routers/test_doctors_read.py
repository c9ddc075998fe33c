"""The public read API for doctors, through HTTP."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def _doctors(database: Database) -> None:
    make(database, "treatments", slug="cure-x", title="Cure X (sample)")
    make(database, "clinics", slug="clinic-x", name="Clinic X (sample)")
    make(database, "clinics", slug="clinic-draft", name="Draft (sample)", status=Status.draft)
    make(database, "doctors", slug="doc-b", name="Doctor B (sample)", honorific="Dr.",
         specialties=["Sample Specialty"], languages=["en", "ml"],
         clinics=["clinic-x", "clinic-draft"], treatments=["cure-x"],
         bio="A sample biography mentioning haystacks.")  # fmt: skip
    make(database, "doctors", slug="doc-a", name="Doctor A (sample)", languages=["hi"])
    make(database, "doctors", slug="doc-draft", name="Doctor D (sample)",
         specialties=["Sample Specialty"], clinics=["clinic-x"], status=Status.draft)  # fmt: skip
    make(database, "media", slug="doc-video", kind="video", title="Video (sample)",
         doctors=["doc-b"])  # fmt: skip


def _slugs(client: TestClient, **params: str) -> list[str]:
    response = client.get("/v1/doctors", params=params)
    assert response.status_code == 200, response.text
    return [d["slug"] for d in response.json()["data"]]


def test_seeded_doctor(client: TestClient, seeded: Database) -> None:
    doctor = client.get("/v1/doctors/ragesh-nair").json()["data"]

    assert (doctor["honorific"], doctor["name"]) == ("Dr.", "Ragesh Nair")
    assert [c["slug"] for c in doctor["clinics"]] == ["myeloma-clinic"]
    assert [m["slug"] for m in doctor["media"]] == ["launch-of-the-myeloma-clinic"]


def test_list_hides_drafts_and_draft_links(client: TestClient, database: Database) -> None:
    _doctors(database)

    body = client.get("/v1/doctors").json()

    assert [d["slug"] for d in body["data"]] == ["doc-a", "doc-b"]
    assert body["meta"]["total"] == 2
    doc_b = body["data"][1]
    assert doc_b["specialties"] == ["Sample Specialty"]
    assert doc_b["languages"] == ["en", "ml"]
    assert [c["slug"] for c in doc_b["clinics"]] == ["clinic-x"]
    assert [t["slug"] for t in doc_b["treatments"]] == ["cure-x"]
    assert "media" not in doc_b


def test_filters(client: TestClient, database: Database) -> None:
    _doctors(database)

    assert _slugs(client, specialty="sample specialty") == ["doc-b"]
    assert _slugs(client, specialty="Other") == []
    assert _slugs(client, clinic="clinic-x") == ["doc-b"]
    assert _slugs(client, treatment="cure-x") == ["doc-b"]
    assert _slugs(client, language="hi") == ["doc-a"]
    assert _slugs(client, q="haystack") == ["doc-b"]
    assert _slugs(client, q="Doctor") == ["doc-a", "doc-b"]
    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert _slugs(client, updated_since=future) == []


def test_bad_filter_values_are_400s_naming_the_parameter(
    client: TestClient, database: Database
) -> None:
    _doctors(database)

    for name, value in (("clinic", "clinic-draft"), ("clinic", "nope"), ("treatment", "nope"),
                        ("language", "English!"), ("specialty", "")):  # fmt: skip
        response = client.get("/v1/doctors", params={name: value})
        assert response.status_code == 400, (name, value)
        assert response.json()["errors"][0]["field"] == name


def test_detail_with_media_and_404s(client: TestClient, database: Database) -> None:
    _doctors(database)

    doctor = client.get("/v1/doctors/doc-b").json()["data"]

    assert [m["slug"] for m in doctor["media"]] == ["doc-video"]
    assert doctor["bio"]["text"] == "A sample biography mentioning haystacks."
    for slug in ("doc-draft", "nobody"):
        response = client.get(f"/v1/doctors/{slug}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_sort_fields_and_pagination(client: TestClient, database: Database) -> None:
    _doctors(database)

    body = client.get("/v1/doctors", params={"sort": "-name", "fields": "slug", "limit": 1}).json()

    assert body["data"] == [{"slug": "doc-b"}]
    assert body["meta"]["total"] == 2
    assert client.get(body["links"]["next"]).json()["data"] == [{"slug": "doc-a"}]


def test_doctor_as_json_ld_is_an_individual_physician(client: TestClient, seeded: Database) -> None:
    response = client.get("/v1/doctors/ragesh-nair", headers={"Accept": "application/ld+json"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert body["@type"] == "IndividualPhysician"
    assert "Ragesh Nair" in body["name"]
