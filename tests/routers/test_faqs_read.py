"""The public read API for FAQs, through HTTP."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def _faqs(database: Database) -> None:
    make(database, "treatment-types", slug="kind-a", name="Kind A (sample)")
    make(database, "treatment-types", slug="kind-a-sub", name="Sub (sample)", parent="kind-a")
    make(database, "treatments", slug="zeta", title="Zeta (sample)", type="kind-a-sub")
    make(database, "treatments", slug="alpha", title="Alpha (sample)")
    for position, slug in ((2, "zeta-second"), (1, "zeta-first")):
        make(database, "faqs", slug=slug, treatment="zeta", position=position, tags=["sample-tag"],
             question=f"Sample question {slug}?", answer="Sample answer.")  # fmt: skip
    make(database, "faqs", slug="alpha-only", treatment="alpha", position=5,
         question="Sample alpha question?", answer="An answer with a needle in it.")  # fmt: skip
    make(database, "faqs", slug="loose", question="Sample loose question?", answer="Sample.")
    make(database, "faqs", slug="draft-faq", treatment="zeta", question="Draft (sample)?",
         answer="Sample needle.", tags=["sample-tag"], status=Status.draft)  # fmt: skip


def _slugs(client: TestClient, **params: str) -> list[str]:
    response = client.get("/v1/faqs", params=params)
    assert response.status_code == 200, response.text
    return [f["slug"] for f in response.json()["data"]]


def test_seeded_faqs_in_page_order(client: TestClient, seeded: Database) -> None:
    assert _slugs(client, treatment="immunotherapy") == [
        "how-long-will-i-get-immunotherapy",
        "what-should-i-expect-after-immunotherapy",
        "immunotherapy-vs-chemotherapy",
    ]
    faq = client.get("/v1/faqs/immunotherapy-vs-chemotherapy").json()["data"]
    assert faq["treatment"]["slug"] == "immunotherapy"
    assert faq["tags"] == ["chemotherapy", "comparison"]


def test_default_order_is_treatment_then_position(client: TestClient, database: Database) -> None:
    _faqs(database)

    body = client.get("/v1/faqs").json()

    assert [f["slug"] for f in body["data"]] == ["alpha-only", "zeta-first", "zeta-second", "loose"]
    assert body["meta"]["total"] == 4


def test_filters(client: TestClient, database: Database) -> None:
    _faqs(database)

    assert _slugs(client, treatment="zeta") == ["zeta-first", "zeta-second"]
    assert _slugs(client, type="kind-a") == ["zeta-first", "zeta-second"]
    assert _slugs(client, tag="sample-tag") == ["zeta-first", "zeta-second"]
    assert _slugs(client, tag="no-such-tag") == []
    assert _slugs(client, q="NEEDLE") == ["alpha-only"]
    assert _slugs(client, q="%") == []
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert _slugs(client, updated_since=future) == []


def test_bad_filter_values_are_400s_naming_the_parameter(
    client: TestClient, database: Database
) -> None:
    _faqs(database)

    for name, value in (("treatment", "nope"), ("type", "nope"), ("tag", "Not a tag"),
                        ("updated_since", "yesterday"), ("q", "")):  # fmt: skip
        response = client.get("/v1/faqs", params={name: value})
        assert response.status_code == 400, name
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == name


def test_detail_and_404s(client: TestClient, database: Database) -> None:
    _faqs(database)

    faq = client.get("/v1/faqs/zeta-first").json()["data"]

    assert faq["question"] == "Sample question zeta-first?"
    assert faq["answer"]["html"] == "<p>Sample answer.</p>"
    assert faq["review_overdue"] is False
    for slug in ("draft-faq", "no-such-faq"):
        response = client.get(f"/v1/faqs/{slug}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_faq_of_a_draft_treatment_does_not_name_it(client: TestClient, database: Database) -> None:
    make(database, "treatments", slug="unpublished", title="Draft (sample)", status=Status.draft)
    make(database, "faqs", slug="orphan", treatment="unpublished", question="Sample?", answer="x")

    assert client.get("/v1/faqs/orphan").json()["data"]["treatment"] is None
    assert client.get("/v1/faqs", params={"treatment": "unpublished"}).status_code == 400


def test_sort_fields_and_pagination(client: TestClient, database: Database) -> None:
    _faqs(database)

    body = client.get(
        "/v1/faqs", params={"sort": "-position,slug", "fields": "slug,position", "limit": 2}
    ).json()

    assert body["data"] == [
        {"slug": "alpha-only", "position": 5},
        {"slug": "zeta-second", "position": 2},
    ]
    assert body["meta"] == {"total": 4, "limit": 2, "offset": 0}
    rest = client.get(body["links"]["next"]).json()
    assert [f["slug"] for f in rest["data"]] == ["zeta-first", "loose"]
    assert rest["links"]["next"] is None
