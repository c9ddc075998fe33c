"""The public read API for the treatment-type taxonomy, through HTTP."""

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def _tree(database: Database) -> None:
    make(database, "treatment-types", slug="alpha-type", name="Alpha (sample)")
    make(database, "treatment-types", slug="beta-type", name="Beta (sample)", parent="alpha-type")
    make(database, "treatment-types", slug="gamma-type", name="Gamma (sample)", parent="beta-type")
    make(
        database,
        "treatment-types",
        slug="hidden-type",
        name="Hidden (sample)",
        parent="alpha-type",
        status=Status.draft,
    )


def test_seeded_taxonomy_nests_immunotherapy_sub_types(
    client: TestClient, seeded: Database
) -> None:
    body = client.get("/v1/treatment-types", params={"parent": "immunotherapy"}).json()

    assert [t["slug"] for t in body["data"]] == [
        "cytokine-therapy",
        "monoclonal-antibodies",
        "oncolytic-virus-therapy",
    ]
    assert {t["parent"]["slug"] for t in body["data"]} == {"immunotherapy"}
    detail = client.get("/v1/treatment-types/immunotherapy").json()["data"]
    assert detail["parent"] is None
    assert len(detail["children"]) == 3
    assert [t["slug"] for t in detail["treatments"]] == ["immunotherapy"]


def test_list_shows_parent_and_published_children(client: TestClient, database: Database) -> None:
    _tree(database)

    body = client.get("/v1/treatment-types").json()

    assert [t["slug"] for t in body["data"]] == ["alpha-type", "beta-type", "gamma-type"]
    assert body["meta"]["total"] == 3
    alpha, beta, _ = body["data"]
    assert [c["slug"] for c in alpha["children"]] == ["beta-type"]
    assert beta["parent"] == {"id": alpha["id"], "slug": "alpha-type", "name": "Alpha (sample)"}
    assert alpha["description"] == {"markdown": "", "html": "", "text": ""}


def test_parent_filter_lists_direct_sub_types(client: TestClient, database: Database) -> None:
    _tree(database)

    body = client.get("/v1/treatment-types", params={"parent": "alpha-type"}).json()

    assert [t["slug"] for t in body["data"]] == ["beta-type"]


def test_unknown_or_draft_parent_is_a_400_naming_it(client: TestClient, database: Database) -> None:
    _tree(database)

    for value in ("no-such-type", "hidden-type", "Not A Slug"):
        response = client.get("/v1/treatment-types", params={"parent": value})
        assert response.status_code == 400, value
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "parent"


def test_detail_lists_treatments_of_the_type_and_its_sub_types(
    client: TestClient, database: Database
) -> None:
    _tree(database)
    make(database, "treatments", slug="in-gamma", title="In gamma (sample)", type="gamma-type")
    make(database, "treatments", slug="in-alpha", title="In alpha (sample)", type="alpha-type")
    make(
        database,
        "treatments",
        slug="draft-in-beta",
        title="Draft (sample)",
        type="beta-type",
        status=Status.draft,
    )

    data = client.get("/v1/treatment-types/alpha-type").json()["data"]

    assert [t["slug"] for t in data["treatments"]] == ["in-alpha", "in-gamma"]
    assert [t["slug"] for t in data["children"]] == ["beta-type"]
    gamma = client.get("/v1/treatment-types/gamma-type").json()["data"]
    assert [t["slug"] for t in gamma["treatments"]] == ["in-gamma"]
    assert gamma["parent"]["slug"] == "beta-type"


def test_unknown_and_draft_slugs_are_404_problems(client: TestClient, database: Database) -> None:
    _tree(database)

    for slug in ("no-such-type", "hidden-type"):
        response = client.get(f"/v1/treatment-types/{slug}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_sort_fields_and_pagination(client: TestClient, database: Database) -> None:
    _tree(database)

    body = client.get(
        "/v1/treatment-types", params={"sort": "-name", "fields": "slug,name", "limit": 2}
    ).json()

    assert body["data"] == [
        {"slug": "gamma-type", "name": "Gamma (sample)"},
        {"slug": "beta-type", "name": "Beta (sample)"},
    ]
    assert body["meta"] == {"total": 3, "limit": 2, "offset": 0}
    assert body["links"]["prev"] is None
    last = client.get(body["links"]["next"]).json()
    assert [t["slug"] for t in last["data"]] == ["alpha-type"]
    assert last["links"]["next"] is None
    assert "offset=0" in last["links"]["prev"]


def test_unknown_sort_or_field_is_a_400(client: TestClient, database: Database) -> None:
    for params, field in (({"sort": "position"}, "sort"), ({"fields": "secret"}, "fields")):
        response = client.get("/v1/treatment-types", params=params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field
