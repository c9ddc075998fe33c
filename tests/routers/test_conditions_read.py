"""Conditions through HTTP: list and detail, ETags, locales, JSON-LD, the sync
feed, and the `?condition=` / `?condition_code=` filters on treatments."""

from fastapi.testclient import TestClient

from app.db import Database
from app.services.change_hook import Action
from models.base import Status
from tests.support.factories import change, make, translate

CODES = [
    {"system": "ICD-10", "code": "C00.0", "display": "Sample ICD-10 name"},
    {"system": "SNOMED-CT", "code": "100000001", "display": "Sample SNOMED CT name"},
]


def _conditions(database: Database) -> None:
    make(database, "treatments", slug="cure-x", title="Cure X (sample)")
    make(database, "treatments", slug="cure-y", title="Cure Y (sample)")
    make(database, "clinics", slug="clinic-x", name="Clinic X (sample)")
    make(database, "doctors", slug="doc-x", name="Doctor X (sample)")
    make(database, "conditions", slug="sample-b", name="Sample B (sample)", codes=CODES,
         summary="A sample condition for **testing**.", treatments=["cure-x"],
         doctors=["doc-x"], clinics=["clinic-x"])  # fmt: skip
    make(database, "conditions", slug="sample-a", name="Sample A (sample)",
         codes=[{"system": "ICD-10-CM", "code": "C80.1", "display": "Sample CM name"}],
         treatments=["cure-x", "cure-y"])  # fmt: skip
    make(database, "conditions", slug="sample-draft", name="Sample D (sample)",
         codes=CODES[:1], treatments=["cure-y"], status=Status.draft)  # fmt: skip


def _slugs(client: TestClient, path: str, **params: str) -> list[str]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["data"]]


def test_seeded_conditions_carry_their_codes_and_sources(
    client: TestClient, seeded: Database
) -> None:
    assert _slugs(client, "/v1/conditions") == ["cancer", "multiple-myeloma"]
    myeloma = client.get("/v1/conditions/multiple-myeloma").json()["data"]

    assert [(c["system"], c["code"]) for c in myeloma["codes"]] == [
        ("ICD-10", "C90.0"), ("SNOMED-CT", "109989006"),
    ]  # fmt: skip
    assert all(source["url"].startswith("https://") for source in myeloma["sources"])
    assert [c["slug"] for c in myeloma["clinics"]] == ["myeloma-clinic"]
    cancer = client.get("/v1/conditions/cancer").json()["data"]
    assert [(c["system"], c["code"]) for c in cancer["codes"]] == [
        ("ICD-10-CM", "C80.1"), ("SNOMED-CT", "363346000"),
    ]  # fmt: skip
    assert [t["slug"] for t in cancer["treatments"]] == ["immunotherapy"]
    treatment = client.get("/v1/treatments/immunotherapy").json()["data"]
    assert [(c["slug"], c["name"]) for c in treatment["conditions"]] == [("cancer", "Cancer")]


def test_list_detail_and_drafts_stay_hidden(client: TestClient, database: Database) -> None:
    _conditions(database)

    body = client.get("/v1/conditions").json()
    assert [c["slug"] for c in body["data"]] == ["sample-a", "sample-b"]
    assert body["meta"]["total"] == 2
    assert _slugs(client, "/v1/conditions", q="testing") == ["sample-b"]
    detail = client.get("/v1/conditions/sample-b").json()["data"]
    assert [d["slug"] for d in detail["doctors"]] == ["doc-x"]
    assert detail["summary"]["html"] == "<p>A sample condition for <strong>testing</strong>.</p>"
    assert client.get("/v1/conditions/sample-draft").status_code == 404
    cure_y = client.get("/v1/treatments/cure-y").json()["data"]
    assert [c["slug"] for c in cure_y["conditions"]] == ["sample-a"]


def test_treatments_filter_by_condition_slug_and_by_code(
    client: TestClient, database: Database
) -> None:
    _conditions(database)

    assert _slugs(client, "/v1/treatments", condition="sample-b") == ["cure-x"]
    assert _slugs(client, "/v1/treatments", condition="sample-a") == ["cure-x", "cure-y"]
    assert _slugs(client, "/v1/treatments", condition_code="C00.0") == ["cure-x"]
    assert _slugs(client, "/v1/treatments", condition_code="100000001") == ["cure-x"]
    assert _slugs(client, "/v1/treatments", condition_code="C80.1") == ["cure-x", "cure-y"]
    assert _slugs(client, "/v1/treatments", condition_code="C99.9") == []
    both = {"condition": "sample-a", "condition_code": "C00.0"}
    assert _slugs(client, "/v1/treatments", **both) == ["cure-x"]
    for params in ({"condition": "sample-draft"}, {"condition": "nope"}):
        response = client.get("/v1/treatments", params=params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["field"] == "condition"
    bad = client.get("/v1/treatments", params={"condition_code": "C90.0; drop"})
    assert bad.status_code == 400
    assert "condition_code" in bad.text


def test_etag_answers_304(client: TestClient, database: Database) -> None:
    _conditions(database)
    first = client.get("/v1/conditions/sample-b")
    etag = first.headers["ETag"]

    again = client.get("/v1/conditions/sample-b", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    listed = client.get("/v1/conditions")
    assert (
        client.get("/v1/conditions", headers={"If-None-Match": listed.headers["ETag"]}).status_code
        == 304
    )


def test_locale_overlays_the_name_here_and_on_treatments(
    client: TestClient, database: Database
) -> None:
    _conditions(database)
    translate(database, "conditions", "sample-b", "hi", name="नमूना बी (sample)")

    hindi = client.get("/v1/conditions/sample-b", params={"locale": "hi"})
    assert hindi.headers["Content-Language"] == "hi"
    data = hindi.json()["data"]
    assert (data["name"], data["locale"], data["available_locales"]) == (
        "नमूना बी (sample)", "hi", ["en", "hi"],
    )  # fmt: skip
    treatment = client.get("/v1/treatments/cure-x", headers={"Accept-Language": "hi"})
    names = {c["slug"]: c["name"] for c in treatment.json()["data"]["conditions"]}
    assert names == {"sample-a": "Sample A (sample)", "sample-b": "नमूना बी (sample)"}


def test_json_ld_is_a_medical_condition_with_medical_codes(
    client: TestClient, database: Database
) -> None:
    _conditions(database)

    response = client.get("/v1/conditions/sample-b", headers={"Accept": "application/ld+json"})

    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert body["@type"] == "MedicalCondition"
    assert body["name"] == "Sample B (sample)"
    assert body["@id"].endswith("/v1/conditions/sample-b")
    assert body["description"] == "A sample condition for testing."
    assert body["code"] == [
        {"@type": "MedicalCode", "codeValue": "C00.0", "codingSystem": "ICD-10"},
        {"@type": "MedicalCode", "codeValue": "100000001", "codingSystem": "SNOMED-CT"},
    ]
    other = client.get("/v1/conditions/sample-a", headers={"Accept": "application/ld+json"})
    assert other.json()["code"] == [
        {"@type": "MedicalCode", "codeValue": "C80.1", "codingSystem": "ICD-10-CM"}
    ]


def test_sync_feed_sends_conditions_and_their_removal(
    client: TestClient, database: Database
) -> None:
    _conditions(database)
    first = client.get("/v1/sync", params={"limit": 100}).json()
    upserted = {i["slug"] for i in first["data"]["upserted"] if i["kind"] == "condition"}
    assert upserted == {"sample-a", "sample-b"}

    change(database, "conditions", "sample-b", Action.unpublished)
    later = client.get("/v1/sync", params={"cursor": first["meta"]["next_cursor"]}).json()

    assert {(d["kind"], d["id"]) for d in later["data"]["deleted"]} == {
        ("condition", next(i["id"] for i in first["data"]["upserted"] if i["slug"] == "sample-b"))
    }
