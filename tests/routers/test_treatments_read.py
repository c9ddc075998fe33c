"""The public read API for treatments, through HTTP."""

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def test_seeded_treatment_has_routes_faqs_doctor_clinic_and_video(
    client: TestClient, seeded: Database
) -> None:
    response = client.get("/v1/treatments/immunotherapy")

    assert response.status_code == 200
    data = response.json()["data"]
    routes = {
        use["route"]["slug"]: use["route"]["snomed_code"] for use in data["administration_routes"]
    }
    assert routes == {
        "intravenous": "47625008",
        "subcutaneous": "34206005",
        "intramuscular": "78421000",
        "intracavitary": "420254004",
    }
    assert [faq["question"] for faq in data["faqs"]] == [
        "How long will I get immunotherapy?",
        "What should I expect after immunotherapy?",
        "What\u2019s the difference between immunotherapy and chemotherapy?",
    ]
    assert [d["name"] for d in data["doctors"]] == ["Ragesh Nair"]
    assert [c["slug"] for c in data["clinics"]] == ["myeloma-clinic"]
    assert [m["kind"] for m in data["media"]] == ["video"]
    assert data["schedule"]["frequencies"] == ["daily", "weekly", "monthly", "cyclic"]


def test_type_filter_includes_sub_types(client: TestClient, database: Database) -> None:
    make(database, "treatment-types", slug="parent-type", name="Parent (sample)")
    make(
        database, "treatment-types", slug="child-type", name="Child (sample)", parent="parent-type"
    )
    make(database, "treatments", slug="in-child", title="Sample in child", type="child-type")
    make(database, "treatments", slug="untyped", title="Sample untyped")

    response = client.get("/v1/treatments", params={"type": "parent-type"})

    assert response.status_code == 200
    assert [t["slug"] for t in response.json()["data"]] == ["in-child"]


def test_drafts_are_invisible_by_slug_list_and_count(
    client: TestClient, database: Database
) -> None:
    make(database, "treatments", slug="public-one", title="Sample public")
    make(database, "treatments", slug="secret-draft", title="Sample draft", status=Status.draft)

    listing = client.get("/v1/treatments").json()

    assert [t["slug"] for t in listing["data"]] == ["public-one"]
    assert listing["meta"]["total"] == 1
    assert client.get("/v1/treatments/secret-draft").status_code == 404


def test_limit_over_100_is_a_400_problem(client: TestClient, database: Database) -> None:
    response = client.get("/v1/treatments", params={"limit": 500})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "limit"


def test_unknown_parameter_is_named(client: TestClient, database: Database) -> None:
    response = client.get("/v1/treatments", params={"bogus": "1"})

    assert response.status_code == 400
    assert "bogus" in response.json()["detail"]


def test_write_method_without_editorial_api_is_405_problem(
    client: TestClient, database: Database
) -> None:
    response = client.delete("/v1/treatments/immunotherapy")

    assert response.status_code in {401, 405}
    assert response.headers["content-type"] == "application/problem+json"
