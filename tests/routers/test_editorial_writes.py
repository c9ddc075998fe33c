"""Creating, changing and deleting content through the editorial API."""

from fastapi.testclient import TestClient

from app.db import Database
from tests.support.editorial import (
    REVIEWER,
    act,
    auth,
    create,
    patch,
    reviewed_and_published,
    sample_faq,
    sample_treatment,
)


def test_merge_patch_replaces_merges_and_resets(client: TestClient, keys: dict[str, str]) -> None:
    body = sample_treatment(
        schedule={"frequencies": ["weekly"], "notes": "Sample notes."},
        duration_factors=["Sample factor"],
    )
    _data, etag = create(client, keys["editor"], "treatments", body)

    data, _etag = patch(
        client,
        keys["editor"],
        "treatments",
        "sample-therapy",
        etag,
        {
            "title": "Renamed (sample)",
            "schedule": {"notes": "Other notes."},
            "duration_factors": None,
        },
    )

    assert data["title"] == "Renamed (sample)"
    assert data["schedule"] == {
        "frequencies": ["weekly"],
        "notes": "Other notes.",
        "rest_periods": None,
    }
    assert data["duration_factors"] == []
    assert data["summary"] == "Sample text."
    assert data["version"] == 2


def test_removing_a_required_field_is_a_422_naming_it(
    client: TestClient, keys: dict[str, str]
) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())

    response = client.patch(
        "/v1/treatments/sample-therapy", json={"title": None}, headers=auth(keys["editor"], etag)
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_read_only_and_unknown_fields_are_422_by_name(
    client: TestClient, keys: dict[str, str]
) -> None:
    created = client.post(
        "/v1/faqs",
        json={**sample_faq("sample-q"), "status": "published", "id": "x"},
        headers=auth(keys["editor"]),
    )
    _data, etag = create(client, keys["editor"], "faqs", sample_faq("sample-q"))
    patched = client.patch(
        "/v1/faqs/sample-q",
        json={"version": 7, "colour": "red", "answer": "Fine."},
        headers=auth(keys["editor"], etag),
    )

    assert created.status_code == 422
    assert {e["field"] for e in created.json()["errors"]} == {"status", "id"}
    assert patched.status_code == 422
    errors = {e["field"]: e["message"] for e in patched.json()["errors"]}
    assert errors == {"version": "read-only field; it cannot be set", "colour": "unknown field"}
    assert "version" in patched.json()["detail"]


def test_slug_conflicts_are_409(client: TestClient, keys: dict[str, str]) -> None:
    create(client, keys["editor"], "treatments", sample_treatment("first-sample"))
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment("second-sample"))

    duplicate = client.post(
        "/v1/treatments", json=sample_treatment("first-sample"), headers=auth(keys["editor"])
    )
    renamed = client.patch(
        "/v1/treatments/second-sample",
        json={"slug": "first-sample"},
        headers=auth(keys["editor"], etag),
    )

    assert duplicate.status_code == 409
    assert renamed.status_code == 409
    assert duplicate.headers["content-type"] == "application/problem+json"


def test_if_match_is_required_and_checked(client: TestClient, keys: dict[str, str]) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())
    url = "/v1/treatments/sample-therapy"

    without = client.patch(url, json={"title": "X (sample)"}, headers=auth(keys["editor"]))
    _data, _new = patch(
        client, keys["editor"], "treatments", "sample-therapy", etag, {"title": "Y"}
    )
    stale = client.patch(url, json={"title": "Z (sample)"}, headers=auth(keys["editor"], etag))

    assert without.status_code == 428
    assert stale.status_code == 412
    assert stale.headers["etag"] == _new


def test_non_json_and_malformed_bodies_are_problems(
    client: TestClient, keys: dict[str, str]
) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())

    as_text = client.post(
        "/v1/treatments",
        content=b"slug=x",
        headers={**auth(keys["editor"]), "Content-Type": "text/plain"},
    )
    malformed = client.patch(
        "/v1/treatments/sample-therapy",
        content=b"{not json",
        headers={**auth(keys["editor"], etag), "Content-Type": "application/json"},
    )

    assert as_text.status_code == 415
    assert malformed.status_code == 422
    assert malformed.headers["content-type"] == "application/problem+json"


def test_soft_delete_hides_and_restore_brings_back(
    client: TestClient, keys: dict[str, str]
) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())
    etag = reviewed_and_published(client, keys, "treatments", "sample-therapy", etag)

    deleted = client.delete("/v1/treatments/sample-therapy", headers=auth(keys["publisher"], etag))
    gone = client.get("/v1/treatments/sample-therapy")
    again = client.post("/v1/treatments", json=sample_treatment(), headers=auth(keys["editor"]))
    restored = client.post(
        "/v1/treatments/sample-therapy/restore",
        headers=auth(keys["publisher"], deleted.headers["etag"]),
    )

    assert deleted.status_code == 200 and deleted.json()["data"]["deleted_at"]
    assert gone.status_code == 404
    assert again.status_code == 409
    assert restored.status_code == 200
    assert client.get("/v1/treatments/sample-therapy").status_code == 200


def test_published_item_keeps_serving_until_the_draft_is_published(
    client: TestClient, keys: dict[str, str]
) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())
    etag = reviewed_and_published(client, keys, "treatments", "sample-therapy", etag)

    data, etag = patch(
        client, keys["editor"], "treatments", "sample-therapy", etag, {"title": "New (sample)"}
    )
    public = client.get("/v1/treatments/sample-therapy").json()["data"]
    preview = client.get(
        "/v1/treatments/sample-therapy", params={"status": "draft"}, headers=auth(keys["editor"])
    )
    # The changed title is unreviewed text: it goes live only after a review of it.
    _data, etag = act(client, keys["editor"], "treatments", "sample-therapy", "review", etag,
                      reviewed_by=REVIEWER)  # fmt: skip
    act(client, keys["publisher"], "treatments", "sample-therapy", "publish", etag)

    assert data["has_draft"] is True and data["live"] is True
    assert public["title"] == "Sample therapy (sample)"
    assert preview.status_code == 200
    assert preview.json()["data"]["title"] == "New (sample)"
    assert preview.headers["cache-control"] == "no-store"
    assert client.get("/v1/treatments/sample-therapy").json()["data"]["title"] == "New (sample)"


def test_reorder_faqs_in_one_request(client: TestClient, keys: dict[str, str]) -> None:
    _data, etag = create(client, keys["editor"], "treatments", sample_treatment())
    for index, slug in enumerate(["sample-a", "sample-b", "sample-c"]):
        create(client, keys["editor"], "faqs", sample_faq(slug, "sample-therapy", position=index))

    response = client.put(
        "/v1/treatments/sample-therapy/faqs/order",
        json={"faqs": ["sample-c", "sample-a", "sample-b"]},
        headers=auth(keys["publisher"], etag),
    )
    incomplete = client.put(
        "/v1/treatments/sample-therapy/faqs/order",
        json={"faqs": ["sample-c"]},
        headers=auth(keys["publisher"], response.headers["etag"]),
    )
    preview = client.get(
        "/v1/treatments/sample-therapy/faqs",
        params={"status": "draft"},
        headers=auth(keys["editor"]),
    )

    assert response.status_code == 200, response.text
    assert incomplete.status_code == 422
    assert [f["slug"] for f in preview.json()["data"]] == ["sample-c", "sample-a", "sample-b"]


def test_admin_changes_the_organization_profile(
    client: TestClient, keys: dict[str, str], seeded: Database
) -> None:
    view = client.get("/v1/editorial/organization", headers=auth(keys["editor"]))
    etag = view.headers["etag"]

    by_publisher = client.patch(
        "/v1/organization", json={"telephone": "+00 0000 (sample)"},
        headers=auth(keys["publisher"], etag),
    )  # fmt: skip
    by_admin = client.patch(
        "/v1/organization", json={"telephone": "+00 0000 (sample)"},
        headers=auth(keys["admin"], etag),
    )  # fmt: skip

    assert by_publisher.status_code == 403
    assert by_admin.status_code == 200, by_admin.text
    assert by_admin.json()["data"]["telephone"] == "+00 0000 (sample)"
    assert by_admin.json()["data"]["has_draft"] is False


def test_bodies_over_the_limit_are_413(client: TestClient, keys: dict[str, str]) -> None:
    limit = client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    body = sample_treatment(summary="x" * (limit + 10))

    response = client.post("/v1/treatments", json=body, headers=auth(keys["editor"]))

    assert response.status_code == 413
