"""A review means this exact text (issue 19).

Review metadata is set only by the review action, never forged by a create
or PATCH body.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.editorial import REVIEWER, auth, create, sample_faq, sample_treatment

FORGED = {
    "reviewed_by": REVIEWER,
    "last_reviewed": "2026-01-10",
    "next_review_due": "2027-01-10",
}


def _body(path: str, slug: str) -> dict[str, Any]:
    return sample_treatment(slug) if path == "treatments" else sample_faq(slug)


def _refused_naming(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in problem["errors"]] == [field]
    assert "review" in problem["errors"][0]["message"]


@pytest.mark.parametrize("path", ["treatments", "faqs"])
@pytest.mark.parametrize("field", sorted(FORGED))
def test_create_refuses_review_metadata(
    client: TestClient, keys: dict[str, str], path: str, field: str
) -> None:
    body = {**_body(path, "sample-forged"), field: FORGED[field]}

    response = client.post(f"/v1/{path}", json=body, headers=auth(keys["editor"]))

    _refused_naming(response, field)
    assert (
        client.get(f"/v1/editorial/{path}/sample-forged", headers=auth(keys["editor"])).status_code
        == 404
    )


@pytest.mark.parametrize("path", ["treatments", "faqs"])
@pytest.mark.parametrize("field", sorted(FORGED))
def test_patch_refuses_review_metadata(
    client: TestClient, keys: dict[str, str], path: str, field: str
) -> None:
    _data, etag = create(client, keys["editor"], path, _body(path, "sample-forged"))

    response = client.patch(
        f"/v1/{path}/sample-forged", json={field: FORGED[field]}, headers=auth(keys["editor"], etag)
    )

    _refused_naming(response, field)
    current = client.get(f"/v1/editorial/{path}/sample-forged", headers=auth(keys["editor"]))
    assert current.headers["ETag"] == etag
    assert current.json()["data"][field] is None


def test_openapi_write_bodies_do_not_offer_review_metadata(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    for name in ("TreatmentCreate", "TreatmentUpdate", "FaqCreate", "FaqUpdate"):
        assert not set(FORGED) & set(schemas[name]["properties"]), name
    assert set(FORGED) <= set(schemas["ReviewInput"]["properties"])
