"""The editorial API for conditions: create, review, publish, revisions,
translations, and the export/import round trip, through HTTP."""

from fastapi.testclient import TestClient

from app.db import Database
from tests.conftest import empty_tables
from tests.support.editorial import REVIEWER, act, auth, create, patch
from tests.support.factories import make
from tests.support.transfer import export_bytes, import_bytes

BODY = {
    "slug": "sample-condition",
    "name": "Sample condition (sample)",
    "summary": "Sample summary.",
    "codes": [{"system": "ICD-10", "code": "C00.0", "display": "Sample name"}],
    "sources": [{"title": "Sample source", "url": "https://example.org/source"}],
    "treatments": ["cure-x"],
}


def test_create_review_publish_and_a_changed_code_needs_a_new_review(
    client: TestClient, database: Database, keys: dict[str, str]
) -> None:
    make(database, "treatments", slug="cure-x", title="Cure X (sample)")
    data, etag = create(client, keys["editor"], "conditions", BODY)
    assert (data["status"], data["treatments"]) == ("draft", ["cure-x"])
    assert client.get("/v1/conditions/sample-condition").status_code == 404

    early = client.post("/v1/conditions/sample-condition/publish",
                        headers=auth(keys["publisher"], etag))  # fmt: skip
    assert early.status_code == 409
    assert early.json()["type"].endswith("review-required")

    _data, etag = act(client, keys["editor"], "conditions", "sample-condition", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    _data, etag = act(client, keys["publisher"], "conditions", "sample-condition", "publish", etag)
    public = client.get("/v1/conditions/sample-condition").json()["data"]
    assert public["reviewed_by"] == REVIEWER
    assert [c["code"] for c in public["codes"]] == ["C00.0"]
    assert (
        client.get("/v1/treatments", params={"condition_code": "C00.0"}).json()["meta"]["total"]
        == 1
    )

    new_codes = [{"system": "SNOMED-CT", "code": "100000001", "display": "Sample concept"}]
    _data, etag = patch(client, keys["editor"], "conditions", "sample-condition", etag,
                        {"codes": new_codes})  # fmt: skip
    blocked = client.post("/v1/conditions/sample-condition/publish",
                          headers=auth(keys["publisher"], etag))  # fmt: skip
    assert blocked.status_code == 409
    # The live version keeps serving its reviewed codes meanwhile.
    live = client.get("/v1/conditions/sample-condition").json()["data"]
    assert [c["code"] for c in live["codes"]] == ["C00.0"]

    _data, etag = act(client, keys["editor"], "conditions", "sample-condition", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    act(client, keys["publisher"], "conditions", "sample-condition", "publish", etag)
    live = client.get("/v1/conditions/sample-condition").json()["data"]
    assert [c["code"] for c in live["codes"]] == ["100000001"]
    revisions = client.get("/v1/conditions/sample-condition/revisions",
                           headers=auth(keys["editor"])).json()["data"]  # fmt: skip
    assert len(revisions) >= 4


def test_bad_codes_and_unknown_links_are_422s_naming_the_field(
    client: TestClient, keys: dict[str, str]
) -> None:
    for field, value in (
        ("codes", [{"system": "ICD-10", "code": "not a code", "display": "Sample"}]),
        ("codes", [{"system": "SNOMED-CT", "code": "C90.0", "display": "Sample"}]),
        ("codes", [{"system": "ICD-11", "code": "2A83", "display": "Sample"}]),
        (
            "codes",
            [
                {"system": "ICD-10", "code": "C00.0", "display": "Sample"},
                {"system": "ICD-10", "code": "C00.1", "display": "Sample"},
            ],
        ),
        ("treatments", ["no-such-treatment"]),
        ("clinics", ["no-such-clinic"]),
    ):
        response = client.post("/v1/conditions", json={**BODY, "treatments": [], field: value},
                               headers=auth(keys["editor"]))  # fmt: skip
        assert response.status_code == 422, (field, value, response.text)
        assert field in response.text


def test_translation_and_export_import_round_trip(
    client: TestClient, database: Database, keys: dict[str, str]
) -> None:
    make(database, "treatments", slug="cure-x", title="Cure X (sample)")
    make(database, "doctors", slug="doc-x", name="Doctor X (sample)")
    make(database, "clinics", slug="clinic-x", name="Clinic X (sample)")
    make(database, "conditions", **{**BODY, "doctors": ["doc-x"], "clinics": ["clinic-x"]})
    etag = client.get("/v1/editorial/conditions/sample-condition",
                      headers=auth(keys["editor"])).headers["ETag"]  # fmt: skip
    written = client.patch("/v1/conditions/sample-condition", params={"locale": "hi"},
                           json={"name": "नमूना (sample)"},
                           headers=auth(keys["editor"], etag))  # fmt: skip
    assert written.status_code == 200, written.text
    first = export_bytes(database)
    assert b'"kind":"condition"' in first
    empty_tables(database)

    report = import_bytes(database, first, batch_size=3)

    assert report.ok, report.rejected
    assert export_bytes(database) == first
    detail = client.get("/v1/conditions/sample-condition").json()["data"]
    assert ([d["slug"] for d in detail["doctors"]], [c["slug"] for c in detail["clinics"]]) == (
        ["doc-x"], ["clinic-x"],
    )  # fmt: skip
