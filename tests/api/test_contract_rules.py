"""What contract fuzzing (tests/contract/run.py) found, pinned as plain tests.

Each rule makes the OpenAPI document and the server agree: a value the
document allows is served, and one it forbids is refused with a problem.
"""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.editorial import auth, create, sample_faq, sample_treatment


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _param(operation: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in operation["parameters"] if p["name"] == name)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v1/treatments", "GET, POST"),
        ("/v1/treatments/anything", "DELETE, GET, PATCH"),
        ("/v1/treatments/anything/faqs/order", "PUT"),
    ],
)
def test_a_405_lists_every_method_of_the_path(client: TestClient, path: str, allowed: str) -> None:
    response = client.request("OPTIONS", path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allowed
    assert response.headers["content-type"] == "application/problem+json"


def test_if_match_must_be_entity_tags(client: TestClient, keys: dict[str, str]) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())
    url = "/v1/treatments/sample-therapy"
    body = {"title": "Sample therapy, renamed (sample)"}
    missing = client.patch(url, json=body, headers=auth(keys["editor"]))
    malformed = client.patch(url, json=body, headers=auth(keys["editor"], "not-quoted"))
    stale = client.patch(url, json=body, headers=auth(keys["editor"], '"other-v9"'))
    fine = client.patch(url, json=body, headers=auth(keys["editor"], f" W/{etag} , {etag}"))
    assert missing.status_code == 428
    assert malformed.status_code == 400
    assert malformed.json()["errors"] == [{"field": "If-Match", "message": "not an entity tag"}]
    assert stale.status_code == 412
    assert fine.status_code == 200, fine.text


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("fields=slug, title", "fields"),
        ("fields=slug,,title", "fields"),
        ("fields=slug,bogus", "fields"),
        ("sort=title,", "sort"),
        ("sort=--title", "sort"),
        ("sort=bogus", "sort"),
        ("updated_since=0.5", "updated_since"),
        ("updated_since=1700000000", "updated_since"),
    ],
)
def test_list_parameters_take_exactly_what_the_document_says(
    client: TestClient, query: str, param: str
) -> None:
    response = client.get(f"/v1/treatments?{query}")
    assert response.status_code == 400, response.text
    assert param in {error["field"] for error in response.json()["errors"]}


def test_documented_fields_and_sort_values_are_served(client: TestClient, seeded: Any) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/treatments"]["get"]
    fields = re.findall(r"[a-z_]+", _param(operation, "fields")["schema"]["pattern"])
    sorts = set(re.findall(r"[a-z_]+", _param(operation, "sort")["schema"]["pattern"]))
    assert sorts == {"title", "slug", "created_at", "updated_at", "next_review_due"}
    response = client.get(f"/v1/treatments?fields={','.join(fields)}&sort=-updated_at,title")
    assert response.status_code == 200, response.text
    sparse = client.get("/v1/treatments?fields=slug,title").json()["data"]
    assert sparse == [{"slug": "immunotherapy", "title": "Immunotherapy"}]


def test_sparse_items_have_their_own_schema(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    items = schemas["TreatmentPage"]["properties"]["data"]["items"]
    assert items == {
        "anyOf": [
            {"$ref": "#/components/schemas/TreatmentRead"},
            {"$ref": "#/components/schemas/TreatmentReadFields"},
        ]
    }
    assert "required" not in schemas["TreatmentReadFields"]
    assert schemas["TreatmentReadFields"]["properties"] == schemas["TreatmentRead"]["properties"]


def test_dates_in_bodies_are_text_not_numbers(client: TestClient, keys: dict[str, str]) -> None:
    create(client, keys["editor"], "treatments", sample_treatment())
    _data, etag = create(
        client, keys["editor"], "faqs", sample_faq("sample-faq", treatment="sample-therapy")
    )
    response = client.post(
        "/v1/faqs/sample-faq/review",
        json={"reviewed_by": "Dr. Sample (sample)", "next_review_due": 0},
        headers=auth(keys["editor"], etag),
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "next_review_due"


@pytest.mark.parametrize("kinds", ["faqs,,treatments", "faqs, treatments", "bogus", ""])
@pytest.mark.parametrize("path", ["/v1/search?q=immunotherapy&", "/v1/sync?"])
def test_kinds_take_exactly_the_documented_list(client: TestClient, path: str, kinds: str) -> None:
    response = client.get(f"{path}kinds={kinds}")
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "kinds"


@pytest.mark.parametrize(
    "value", ["", "2026-13", "2026-02-31", "xx2026", "0000", "2026-01-01T24:00"]
)
def test_fhir_last_updated_takes_the_documented_dates(client: TestClient, value: str) -> None:
    response = client.get("/fhir/r4/Practitioner", params={"_lastUpdated": value})
    assert response.status_code == 400, response.text
    assert response.json()["resourceType"] == "OperationOutcome"


def test_review_overdue_exists_only_where_items_are_reviewed(
    client: TestClient, keys: dict[str, str]
) -> None:
    document = client.get("/openapi.json").json()
    with_param = {
        path
        for path, method, operation in _operations(document)
        if any(p["name"] == "review_overdue" for p in operation.get("parameters", []))
    }
    assert with_param == {
        "/v1/editorial/treatments", "/v1/editorial/faqs", "/v1/editorial/conditions",
    }  # fmt: skip
    response = client.get("/v1/editorial/clinics?review_overdue=true", headers=auth(keys["editor"]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "review_overdue"


def test_public_reads_take_a_key_optionally_and_say_what_a_bad_one_gets(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    treatments = document["paths"]["/v1/treatments"]
    assert treatments["get"]["security"] == [{}, {"ApiKey": []}]
    assert "401" in treatments["get"]["responses"]
    assert treatments["post"]["security"] == [{"ApiKey": []}]
    bad_key = client.get("/v1/treatments?status=draft", headers=auth("tca_unknown"))
    assert bad_key.status_code == 401


def test_every_rate_limited_operation_declares_its_429(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    for path, method, operation in _operations(document):
        if path in ("/healthz", "/metrics"):
            continue
        assert "429" in operation["responses"], (method, path)
        assert "Retry-After" in operation["responses"]["429"]["headers"]


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/v1/treatments?type=a&type=b", "type"),
        ("/v1/treatments?limit=1&limit=2", "limit"),
        ("/fhir/r4/Practitioner?_id=a&_id=b", "_id"),
    ],
)
def test_a_one_value_parameter_given_twice_is_refused(
    client: TestClient, url: str, param: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400, response.text
    assert param in response.text


def test_repeatable_parameters_may_repeat(client: TestClient) -> None:
    response = client.get("/fhir/r4/Practitioner?_lastUpdated=ge2020&_lastUpdated=le8000")
    assert response.status_code == 200, response.text


def test_string_parameters_document_that_nul_is_refused(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    role = document["paths"]["/fhir/r4/PractitionerRole"]["get"]
    specialty = _param(role, "specialty")["schema"]
    assert specialty["anyOf"][0]["pattern"] == "^[^\\u0000]*$"
    assert client.get("/fhir/r4/PractitionerRole?specialty=a%00b").status_code == 400


@pytest.mark.parametrize("url", ["https://[x/hook", "https://[::1/hook", "https://a]b/hook"])
def test_a_webhook_url_that_does_not_parse_is_a_422(
    client: TestClient, keys: dict[str, str], url: str
) -> None:
    body = {"url": url, "events": ["*"]}
    response = client.post("/v1/webhooks", json=body, headers=auth(keys["admin"]))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "url"


@pytest.mark.parametrize(
    ("value", "status"),
    [("abc", 200), ("Practitioner/abc", 200), ("x/Practitioner/", 400), ("/x", 400)],
)
def test_fhir_references_take_what_their_pattern_says(
    client: TestClient, value: str, status: int
) -> None:
    document = client.get("/openapi.json").json()
    role = document["paths"]["/fhir/r4/PractitionerRole"]["get"]
    pattern = _param(role, "practitioner")["schema"]["pattern"].replace("\\u0000", "\\x00")
    assert bool(re.fullmatch(pattern, value)) == (status == 200)
    response = client.get("/fhir/r4/PractitionerRole", params={"practitioner": value})
    assert response.status_code == status, response.text
