"""The public read API for administration routes, through HTTP."""

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def _routes(database: Database) -> None:
    make(database, "administration-routes", slug="route-a", name="Route A (sample)",
         snomed_code="100000001")  # fmt: skip
    make(database, "administration-routes", slug="route-b", name="Route B (sample)",
         parent="route-a", snomed_code="100000002")  # fmt: skip
    make(database, "administration-routes", slug="route-c", name="Route C (sample)")
    make(database, "administration-routes", slug="route-hidden", name="Route H (sample)",
         parent="route-a", snomed_code="100000009", status=Status.draft)  # fmt: skip


def test_seeded_routes_carry_snomed_codes(client: TestClient, seeded: Database) -> None:
    body = client.get("/v1/administration-routes", params={"limit": 100}).json()

    codes = {r["slug"]: r["snomed_code"] for r in body["data"]}
    assert codes["intravenous"] == "47625008"
    assert codes["intrapleural"] == "372469009"
    cavity = client.get("/v1/administration-routes/intracavitary").json()["data"]
    assert {c["slug"] for c in cavity["children"]} == {
        "intravesical",
        "intraperitoneal",
        "intrapleural",
    }
    assert [t["slug"] for t in cavity["treatments"]] == ["immunotherapy"]


def test_list_with_parent_and_children(client: TestClient, database: Database) -> None:
    _routes(database)

    body = client.get("/v1/administration-routes").json()

    assert [r["slug"] for r in body["data"]] == ["route-a", "route-b", "route-c"]
    assert body["meta"]["total"] == 3
    assert [c["slug"] for c in body["data"][0]["children"]] == ["route-b"]
    assert body["data"][1]["parent"]["snomed_code"] == "100000001"


def test_snomed_code_filter(client: TestClient, database: Database) -> None:
    _routes(database)

    found = client.get("/v1/administration-routes", params={"snomed_code": "100000002"}).json()
    hidden = client.get("/v1/administration-routes", params={"snomed_code": "100000009"}).json()

    assert [r["slug"] for r in found["data"]] == ["route-b"]
    assert hidden["data"] == []
    assert hidden["meta"]["total"] == 0


def test_malformed_snomed_code_is_a_400_naming_it(client: TestClient, database: Database) -> None:
    response = client.get("/v1/administration-routes", params={"snomed_code": "vein"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "snomed_code"


def test_detail_lists_treatments_given_that_way_or_by_a_sub_route(
    client: TestClient, database: Database
) -> None:
    _routes(database)
    make(database, "treatments", slug="by-b", title="By B (sample)",
         administration_routes=[{"route": "route-b"}])  # fmt: skip
    make(database, "treatments", slug="by-a", title="By A (sample)",
         administration_routes=[{"route": "route-a"}, {"route": "route-b"}])  # fmt: skip
    make(database, "treatments", slug="by-c", title="By C (sample)",
         administration_routes=[{"route": "route-c"}])  # fmt: skip
    make(database, "treatments", slug="draft-by-a", title="Draft (sample)",
         administration_routes=[{"route": "route-a"}], status=Status.draft)  # fmt: skip

    route_a = client.get("/v1/administration-routes/route-a").json()["data"]
    route_b = client.get("/v1/administration-routes/route-b").json()["data"]

    assert [t["slug"] for t in route_a["treatments"]] == ["by-a", "by-b"]
    assert [c["slug"] for c in route_a["children"]] == ["route-b"]
    assert [t["slug"] for t in route_b["treatments"]] == ["by-a", "by-b"]
    assert route_b["parent"]["slug"] == "route-a"


def test_unknown_and_draft_slugs_are_404_problems(client: TestClient, database: Database) -> None:
    _routes(database)

    for slug in ("no-such-route", "route-hidden"):
        response = client.get(f"/v1/administration-routes/{slug}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_sort_fields_and_pagination(client: TestClient, database: Database) -> None:
    _routes(database)

    body = client.get(
        "/v1/administration-routes",
        params={"sort": "-slug", "fields": "slug,snomed_code", "limit": 1, "offset": 1},
    ).json()

    assert body["data"] == [{"slug": "route-b", "snomed_code": "100000002"}]
    assert body["meta"] == {"total": 3, "limit": 1, "offset": 1}
    assert "offset=2" in body["links"]["next"]
    assert "offset=0" in body["links"]["prev"]
