"""Full-text search: ranking, stemming, synonyms, hostile input, drafts hidden."""

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.services.change_hook import Action
from models.base import Status
from tests.support.factories import change, make


def hits(client: TestClient, q: str, **params: str) -> list[dict[str, str]]:
    response = client.get("/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    data: list[dict[str, str]] = response.json()["data"]
    return data


def test_question_words_rank_the_matching_faq_first(client: TestClient, seeded: Database) -> None:
    found = hits(client, "how long immunotherapy")

    assert (found[0]["kind"], found[0]["title"]) == ("faq", "How long will I get immunotherapy?")
    assert found[0]["url"] == "/v1/faqs/how-long-will-i-get-immunotherapy"
    assert "<mark>" in found[0]["snippet"]


def test_iv_finds_the_treatment_through_its_route_notes(
    client: TestClient, seeded: Database
) -> None:
    found = {(hit["kind"], hit["slug"]) for hit in hits(client, "IV")}

    assert ("treatment", "immunotherapy") in found
    assert ("administration_route", "intravenous") in found


def test_chemo_finds_the_comparison_faq(client: TestClient, seeded: Database) -> None:
    found = {(hit["kind"], hit["slug"]) for hit in hits(client, "chemo")}

    assert ("faq", "immunotherapy-vs-chemotherapy") in found


def test_stemming_and_phrase_synonyms(client: TestClient, seeded: Database) -> None:
    assert any(
        h["slug"] == "immunotherapy" for h in hits(client, "immunotherapies", kinds="treatments")
    )
    assert [h["slug"] for h in hits(client, "under the skin", kinds="administration-routes")] == [
        "subcutaneous"
    ]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"immuno',
        "NEAR(immunotherapy chemo",
        "immuno*",
        "-chemo",
        "title:x",
        "a OR",
        "'; --",
        "()",
    ],
)
def test_hostile_query_syntax_never_errors(client: TestClient, seeded: Database, q: str) -> None:
    response = client.get("/v1/search", params={"q": q})

    assert response.status_code == 200
    assert response.json()["meta"]["total"] == len(response.json()["data"])


def test_drafts_and_unpublished_items_are_never_found(
    client: TestClient, database: Database
) -> None:
    make(
        database,
        "faqs",
        slug="sample-secret",
        question="Zanzibar secret?",
        answer="x",
        status=Status.draft,
    )
    make(database, "faqs", slug="sample-public", question="Zanzibar public?", answer="x")
    assert [h["slug"] for h in hits(client, "zanzibar")] == ["sample-public"]

    change(database, "faqs", "sample-public", Action.unpublished)
    assert hits(client, "zanzibar") == []

    change(database, "faqs", "sample-public", Action.published, question="Zanzibar again?")
    assert [h["title"] for h in hits(client, "zanzibar")] == ["Zanzibar again?"]


def test_results_are_paged_with_the_list_envelope(client: TestClient, seeded: Database) -> None:
    body = client.get("/v1/search", params={"q": "immunotherapy", "limit": 2}).json()

    assert body["meta"] == {"total": body["meta"]["total"], "limit": 2, "offset": 0}
    assert body["meta"]["total"] > 2
    assert len(body["data"]) == 2
    assert body["links"]["next"] is not None
    assert client.get("/v1/search", params={"q": "x", "kinds": "nope"}).status_code == 400
    assert client.get("/v1/search").status_code == 400


def test_treatment_list_q_uses_the_index(client: TestClient, seeded: Database) -> None:
    make(seeded, "treatments", slug="sample-other", title="Sample other treatment")

    by_route_note = client.get("/v1/treatments", params={"q": "intravenous"}).json()
    hostile = client.get("/v1/treatments", params={"q": 'NEAR("'})

    assert [t["slug"] for t in by_route_note["data"]] == ["immunotherapy"]
    assert hostile.status_code == 200
    assert hostile.json()["data"] == []
