"""A review means this exact text (issue 19).

Review metadata is set only by the review action, never forged by a create
or PATCH body; a review approves exact text, and no path (a schedule, a draft,
a revision restore, a translation) publishes text changed since.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.db import Database
from app.services.api_key import Actor, act_as
from app.services.editorial import workflow
from models import Faq
from models.webhook import WebhookDelivery, WebhookEndpoint
from tests.support.editorial import REVIEWER, act, auth, create, patch, sample_faq, sample_treatment

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


# --- The review approves exact text: the four bypass paths of issue 19. ---

HINDI = "नमूना उत्तर (sample Hindi text)"
HINDI_EDITED = "बदला हुआ उत्तर (sample Hindi text, edited after review)"


def _editorial(client: TestClient, keys: dict[str, str], path: str, slug: str) -> Any:
    response = client.get(f"/v1/editorial/{path}/{slug}", headers=auth(keys["editor"]))
    assert response.status_code == 200, response.text
    return response


def _in_an_hour() -> str:
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def _promote_later(database: Database) -> None:
    """Run the promoter as if two hours had passed: every schedule above is due."""
    with database.transaction(write=True) as session:
        act_as(session, actor=Actor("scheduler"))
        workflow.promote_due(session, now=datetime.now(UTC) + timedelta(hours=2))


def _hook(database: Database) -> None:
    with database.transaction(write=True) as session:
        session.add(WebhookEndpoint(url="https://hooks.example/review", events=["*"], secret="s"))


def _deliveries(database: Database, event: str) -> list[dict[str, Any]]:
    with database.transaction() as session:
        rows = session.scalars(select(WebhookDelivery).where(WebhookDelivery.event == event))
        return [row.payload["data"] for row in rows]


def _reviewed_faq(client: TestClient, keys: dict[str, str], slug: str = "sample-q") -> str:
    _data, etag = create(client, keys["editor"], "faqs", sample_faq(slug))
    _data, etag = act(client, keys["editor"], "faqs", slug, "review", etag, reviewed_by=REVIEWER)
    return etag


def test_scheduled_item_edited_after_review_is_not_published(
    client: TestClient, database: Database, keys: dict[str, str]
) -> None:
    _hook(database)
    etag = _reviewed_faq(client, keys)
    _data, etag = act(
        client, keys["publisher"], "faqs", "sample-q", "publish", etag, publish_at=_in_an_hour()
    )

    data, _etag = patch(
        client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Unreviewed text."}
    )
    _promote_later(database)

    assert client.get("/v1/faqs/sample-q").status_code == 404
    view = _editorial(client, keys, "faqs", "sample-q").json()["data"]
    assert (view["status"], view["publish_at"], view["live"]) == ("draft", None, False)
    assert view["answer"] == "Unreviewed text."
    assert (view["reviewed_by"], view["last_reviewed"]) == (None, None)
    assert "not the reviewed version" in view["schedule_cancelled"]["reason"]
    assert data["schedule_cancelled"] == view["schedule_cancelled"]
    audit = client.get(
        "/v1/audit", params={"action": "schedule_cancelled"}, headers=auth(keys["admin"])
    ).json()["data"]
    assert [(e["slug"], e["details"]["schedule_cancelled"]["reason"]) for e in audit] == [
        ("sample-q", view["schedule_cancelled"]["reason"])
    ]
    hooks = _deliveries(database, "faq.schedule_cancelled")
    assert [(h["slug"], h["schedule_cancelled"]["reason"]) for h in hooks] == [
        ("sample-q", view["schedule_cancelled"]["reason"])
    ]


def test_live_item_whose_scheduled_draft_is_edited_after_review_keeps_its_published_text(
    client: TestClient, database: Database, keys: dict[str, str]
) -> None:
    etag = _reviewed_faq(client, keys)
    _data, etag = act(client, keys["publisher"], "faqs", "sample-q", "publish", etag)
    _data, etag = patch(client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Draft."})
    _data, etag = act(client, keys["editor"], "faqs", "sample-q", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    _data, etag = act(
        client, keys["publisher"], "faqs", "sample-q", "publish", etag, publish_at=_in_an_hour()
    )

    patch(client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Unreviewed draft."})
    _promote_later(database)

    public = client.get("/v1/faqs/sample-q").json()["data"]
    assert (public["answer"]["markdown"], public["reviewed_by"]) == ("Sample answer.", REVIEWER)
    view = _editorial(client, keys, "faqs", "sample-q").json()["data"]
    assert (view["status"], view["publish_at"], view["has_draft"]) == ("published", None, True)
    assert (view["answer"], view["reviewed_by"]) == ("Unreviewed draft.", None)
    assert view["schedule_cancelled"]["reason"]
    response = client.post(
        "/v1/faqs/sample-q/publish", headers=auth(keys["publisher"], _editorial(
            client, keys, "faqs", "sample-q").headers["ETag"]),
    )  # fmt: skip
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["field"] == "review"


def test_restoring_an_unreviewed_revision_clears_the_review(
    client: TestClient, keys: dict[str, str]
) -> None:
    etag = _reviewed_faq(client, keys)  # revisions 1 (created), 2 (reviewed)
    _data, etag = patch(
        client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Never reviewed."}
    )
    _data, etag = patch(client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Reviewed."})
    _data, etag = act(client, keys["editor"], "faqs", "sample-q", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip

    data, etag = act(client, keys["editor"], "faqs", "sample-q", "revisions/3/restore", etag)

    assert (data["answer"], data["reviewed_by"], data["last_reviewed"]) == (
        "Never reviewed.", None, None
    )  # fmt: skip
    response = client.post("/v1/faqs/sample-q/publish", headers=auth(keys["publisher"], etag))
    assert response.status_code == 409, response.text
    assert client.get("/v1/faqs/sample-q").status_code == 404


def test_restoring_the_reviewed_text_keeps_the_review(
    client: TestClient, keys: dict[str, str]
) -> None:
    etag = _reviewed_faq(client, keys)
    _data, etag = patch(client, keys["editor"], "faqs", "sample-q", etag, {"answer": "Other."})

    data, etag = act(client, keys["editor"], "faqs", "sample-q", "revisions/2/restore", etag)

    assert (data["answer"], data["reviewed_by"]) == ("Sample answer.", None)
    _data, etag = act(client, keys["editor"], "faqs", "sample-q", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    _data, etag = patch(client, keys["editor"], "faqs", "sample-q", etag, {"tags": ["sample"]})
    data, _etag = act(client, keys["publisher"], "faqs", "sample-q", "publish", etag)
    assert (data["live"], data["reviewed_by"]) == (True, REVIEWER)


def _translate(client: TestClient, keys: dict[str, str], etag: str, text: str) -> str:
    response = client.patch(
        "/v1/faqs/sample-q", params={"locale": "hi"}, json={"answer": text},
        headers=auth(keys["editor"], etag),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return str(response.headers["ETag"])


def test_scheduled_translation_edited_after_review_is_not_published(
    client: TestClient, database: Database, keys: dict[str, str]
) -> None:
    _data, etag = create(client, keys["editor"], "faqs", sample_faq("sample-q"))
    etag = _translate(client, keys, etag, HINDI)
    _data, etag = act(client, keys["editor"], "faqs", "sample-q", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    _data, etag = act(
        client, keys["publisher"], "faqs", "sample-q", "publish", etag, publish_at=_in_an_hour()
    )

    etag = _translate(client, keys, etag, HINDI_EDITED)
    _promote_later(database)

    assert client.get("/v1/faqs/sample-q", params={"locale": "hi"}).status_code == 404
    view = _editorial(client, keys, "faqs", "sample-q").json()["data"]
    assert view["status"] == "draft"
    assert "hi: the translation" in view["schedule_cancelled"]["reason"]


def test_live_translation_edited_after_review_needs_its_own_review(
    client: TestClient, keys: dict[str, str]
) -> None:
    etag = _reviewed_faq(client, keys)
    _data, etag = act(client, keys["publisher"], "faqs", "sample-q", "publish", etag)
    etag = _translate(client, keys, etag, HINDI)
    _data, etag = act(client, keys["editor"], "faqs", "sample-q", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    etag = _translate(client, keys, etag, HINDI_EDITED)

    refused = client.post("/v1/faqs/sample-q/publish", headers=auth(keys["publisher"], etag))
    assert refused.status_code == 409, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["locale"]
    assert refused.json()["errors"][0]["message"].startswith("hi:")
    assert (
        client.get("/v1/faqs/sample-q", params={"locale": "hi"}).json()["data"]["answer"][
            "markdown"
        ]
        == "Sample answer."
    )

    response = client.post(
        "/v1/faqs/sample-q/review", params={"locale": "hi"}, json={"reviewed_by": REVIEWER},
        headers=auth(keys["editor"], etag),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    _data, etag = act(client, keys["publisher"], "faqs", "sample-q", "publish",
                      response.headers["ETag"])  # fmt: skip
    served = client.get("/v1/faqs/sample-q", params={"locale": "hi"}).json()["data"]
    assert served["answer"]["markdown"] == HINDI_EDITED


def test_reviewing_a_locale_without_a_translation_is_a_404(
    client: TestClient, keys: dict[str, str]
) -> None:
    etag = _reviewed_faq(client, keys)

    response = client.post(
        "/v1/faqs/sample-q/review", params={"locale": "hi"}, json={"reviewed_by": REVIEWER},
        headers=auth(keys["editor"], etag),
    )  # fmt: skip

    assert response.status_code == 404, response.text


def test_promoter_cancels_a_due_schedule_whose_text_changed_outside_the_api(
    client: TestClient, database: Database, keys: dict[str, str]
) -> None:
    """Defence in depth: even text changed by a path that skips the editorial
    checks (a script, a bad import) is never published by the schedule."""
    _hook(database)
    etag = _reviewed_faq(client, keys)
    act(client, keys["publisher"], "faqs", "sample-q", "publish", etag, publish_at=_in_an_hour())
    with database.transaction(write=True) as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "sample-q")).one()
        faq.answer = "Changed behind the editorial API."

    _promote_later(database)

    assert client.get("/v1/faqs/sample-q").status_code == 404
    view = _editorial(client, keys, "faqs", "sample-q").json()["data"]
    assert (view["status"], view["publish_at"]) == ("draft", None)
    assert view["schedule_cancelled"]["reason"]
    assert [h["slug"] for h in _deliveries(database, "faq.schedule_cancelled")] == ["sample-q"]


def test_a_reviewed_schedule_still_publishes(
    client: TestClient, database: Database, keys: dict[str, str]
) -> None:
    etag = _reviewed_faq(client, keys)
    _data, etag = act(
        client, keys["publisher"], "faqs", "sample-q", "publish", etag, publish_at=_in_an_hour()
    )
    patch(client, keys["editor"], "faqs", "sample-q", etag, {"position": 3, "tags": ["sample"]})

    _promote_later(database)

    public = client.get("/v1/faqs/sample-q").json()["data"]
    assert (public["answer"]["markdown"], public["reviewed_by"]) == ("Sample answer.", REVIEWER)
    assert _editorial(client, keys, "faqs", "sample-q").json()["data"]["schedule_cancelled"] is None
