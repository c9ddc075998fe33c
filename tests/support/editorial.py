"""Helpers for editorial tests: auth headers and the create, review, publish path."""

from typing import Any

from fastapi.testclient import TestClient

REVIEWER = "Dr. Sample Reviewer (sample)"


def auth(key: str, etag: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {key}"}
    if etag is not None:
        headers["If-Match"] = etag
    return headers


def create(
    client: TestClient, key: str, path: str, body: dict[str, Any]
) -> tuple[dict[str, Any], str]:
    response = client.post(f"/v1/{path}", json=body, headers=auth(key))
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/editorial/{path}/{body['slug']}"
    return response.json()["data"], response.headers["ETag"]


def act(
    client: TestClient, key: str, path: str, slug: str, action: str, etag: str, **body: Any
) -> tuple[dict[str, Any], str]:
    response = client.post(
        f"/v1/{path}/{slug}/{action}", json=body or None, headers=auth(key, etag)
    )
    assert response.status_code == 200, response.text
    return response.json()["data"], response.headers["ETag"]


def patch(
    client: TestClient, key: str, path: str, slug: str, etag: str, body: dict[str, Any]
) -> tuple[dict[str, Any], str]:
    response = client.patch(f"/v1/{path}/{slug}", json=body, headers=auth(key, etag))
    assert response.status_code == 200, response.text
    return response.json()["data"], response.headers["ETag"]


def create_reviewed(
    client: TestClient, keys: dict[str, str], path: str, body: dict[str, Any], **review: Any
) -> tuple[dict[str, Any], str]:
    """Create an item and record a clinical review of it: review metadata is set
    only by the review action, never by the create body."""
    _data, etag = create(client, keys["editor"], path, body)
    return act(client, keys["editor"], path, body["slug"], "review", etag,
               **{"reviewed_by": REVIEWER, **review})  # fmt: skip


def reviewed_and_published(
    client: TestClient, keys: dict[str, str], path: str, slug: str, etag: str
) -> str:
    """Record a clinical review (treatments, FAQs) and publish; returns the new ETag."""
    if path in ("treatments", "faqs"):
        _data, etag = act(client, keys["editor"], path, slug, "review", etag, reviewed_by=REVIEWER)
    _data, etag = act(client, keys["publisher"], path, slug, "publish", etag)
    return etag


def sample_treatment(slug: str = "sample-therapy", **fields: Any) -> dict[str, Any]:
    return {"slug": slug, "title": "Sample therapy (sample)", "summary": "Sample text.", **fields}


def sample_faq(slug: str, treatment: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {"slug": slug, "question": f"Sample question {slug}?", "answer": "Sample answer."}
    if treatment:
        body["treatment"] = treatment
    return {**body, **fields}
