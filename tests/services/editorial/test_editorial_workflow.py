"""Publishing, scheduling, clinical review and what the public can see."""

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app import wiring
from app.config import Settings
from app.db import Database, make_engine
from tests.support.apps import SettingsApp
from tests.support.editorial import (
    REVIEWER,
    act,
    auth,
    create,
    create_reviewed,
    reviewed_and_published,
    sample_faq,
)
from tests.support.editorial import sample_treatment as treatment


def _public_slugs(client: TestClient, path: str, **params: str) -> tuple[list[str], int]:
    response = client.get(f"/v1/{path}", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    return [item["slug"] for item in body["data"]], body["meta"]["total"]


def test_editor_creates_with_faqs_publisher_publishes_public_sees_it(
    client: TestClient, keys: dict[str, str]
) -> None:
    _type, type_etag = create(
        client, keys["editor"], "treatment-types", {"slug": "sample-type", "name": "Sample"}
    )
    _data, etag = create(client, keys["editor"], "treatments", treatment(type="sample-type"))
    _faq, faq_etag = create(
        client, keys["editor"], "faqs", sample_faq("sample-q", "sample-therapy")
    )

    assert client.get("/v1/treatments/sample-therapy").status_code == 404
    assert _public_slugs(client, "treatments") == ([], 0)
    assert _public_slugs(client, "treatments", q="Sample") == ([], 0)

    reviewed_and_published(client, keys, "treatment-types", "sample-type", type_etag)
    etag = reviewed_and_published(client, keys, "treatments", "sample-therapy", etag)
    reviewed_and_published(client, keys, "faqs", "sample-q", faq_etag)

    detail = client.get("/v1/treatments/sample-therapy")
    assert detail.status_code == 200
    assert [faq["slug"] for faq in detail.json()["data"]["faqs"]] == ["sample-q"]
    assert _public_slugs(client, "treatments", type="sample-type") == (["sample-therapy"], 1)


def test_anonymous_never_sees_a_draft(client: TestClient, keys: dict[str, str]) -> None:
    create(client, keys["editor"], "treatments", treatment("sample-draft"))
    create(client, keys["editor"], "faqs", sample_faq("sample-draft-q", "sample-draft"))

    assert client.get("/v1/treatments/sample-draft").status_code == 404
    assert client.get("/v1/treatments/sample-draft/faqs").status_code == 404
    assert _public_slugs(client, "treatments", q="sample") == ([], 0)
    preview = client.get(
        "/v1/treatments/sample-draft", params={"status": "draft"}, headers=auth(keys["editor"])
    )
    assert preview.status_code == 200
    assert [f["slug"] for f in preview.json()["data"]["faqs"]] == ["sample-draft-q"]


def test_publishing_without_a_review_is_refused(client: TestClient, keys: dict[str, str]) -> None:
    _data, etag = create(client, keys["editor"], "treatments", treatment())

    response = client.post(
        "/v1/treatments/sample-therapy/publish", headers=auth(keys["publisher"], etag)
    )

    assert response.status_code == 409
    assert response.json()["type"].endswith("/review-required")
    assert "review" in response.json()["detail"]


def test_unpublish_and_archive_make_it_404(client: TestClient, keys: dict[str, str]) -> None:
    _data, etag = create(client, keys["editor"], "treatments", treatment())
    etag = reviewed_and_published(client, keys, "treatments", "sample-therapy", etag)

    data, etag = act(client, keys["publisher"], "treatments", "sample-therapy", "unpublish", etag)
    assert data["status"] == "draft"
    assert client.get("/v1/treatments/sample-therapy").status_code == 404

    _data, etag = act(client, keys["publisher"], "treatments", "sample-therapy", "publish", etag)
    assert client.get("/v1/treatments/sample-therapy").status_code == 200
    data, _etag = act(client, keys["publisher"], "treatments", "sample-therapy", "archive", etag)
    assert data["status"] == "archived"
    assert client.get("/v1/treatments/sample-therapy").status_code == 404
    assert _public_slugs(client, "treatments") == ([], 0)


@pytest.fixture
def scheduling_client(settings_app: SettingsApp) -> Iterator[TestClient]:
    """An app whose promoter checks twice a second, as a deployment would (default 1 s)."""
    app = settings_app(schedule_check_seconds=0.5)
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.slow
def test_scheduled_publish_goes_live_at_its_time(
    scheduling_client: TestClient, keys: dict[str, str]
) -> None:
    client = scheduling_client
    _data, etag = create(client, keys["editor"], "treatments", treatment())
    _data, etag = act(
        client, keys["editor"], "treatments", "sample-therapy", "review", etag, reviewed_by=REVIEWER
    )
    at = datetime.now(UTC) + timedelta(seconds=1.5)

    data, _etag = act(
        client, keys["publisher"], "treatments", "sample-therapy", "publish", etag,
        publish_at=at.isoformat(),
    )  # fmt: skip
    before = client.get("/v1/treatments/sample-therapy")
    listed_before = _public_slugs(client, "treatments")
    time.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()) + 1.1)
    after = client.get("/v1/treatments/sample-therapy")
    history = client.get(
        "/v1/treatments/sample-therapy/revisions", headers=auth(keys["editor"])
    ).json()["data"]

    assert data["scheduled"] is True
    assert before.status_code == 404 and listed_before == ([], 0)
    assert after.status_code == 200
    assert [r["action"] for r in history][-2:] == ["scheduled", "published"]
    assert history[-1]["actor"] == "scheduler"


def test_review_overdue_is_computed_and_filterable(
    client: TestClient, keys: dict[str, str]
) -> None:
    for slug, due in (("sample-late", "2020-01-01"), ("sample-fine", "2999-01-01")):
        create_reviewed(
            client, keys, "treatments", treatment(slug),
            last_reviewed="2019-01-01", next_review_due=due,
        )  # fmt: skip
    create(client, keys["editor"], "treatments", treatment("sample-never"))

    overdue = client.get(
        "/v1/editorial/treatments", params={"review_overdue": "true"}, headers=auth(keys["editor"])
    )
    fine = client.get(
        "/v1/editorial/treatments", params={"review_overdue": "false"}, headers=auth(keys["editor"])
    )

    assert [i["slug"] for i in overdue.json()["data"]] == ["sample-late"]
    assert overdue.json()["data"][0]["review_overdue"] is True
    assert sorted(i["slug"] for i in fine.json()["data"]) == ["sample-fine", "sample-never"]


def test_review_sets_the_dates(client: TestClient, keys: dict[str, str]) -> None:
    _data, etag = create(client, keys["editor"], "faqs", sample_faq("sample-q"))

    data, _etag = act(
        client, keys["editor"], "faqs", "sample-q", "review", etag,
        reviewed_by=REVIEWER, last_reviewed="2026-01-10", next_review_due="2026-07-10",
    )  # fmt: skip

    assert (data["reviewed_by"], data["last_reviewed"]) == (REVIEWER, "2026-01-10")
    assert data["next_review_due"] == "2026-07-10"


@pytest.fixture
def strict_client(settings: Settings, settings_app: SettingsApp) -> Iterator[TestClient]:
    """An app whose policy hides content overdue for review by more than 30 days."""
    strict = Database(make_engine(settings), review_grace_days=30)
    wiring.connect(strict)
    try:
        with TestClient(settings_app(database=strict)) as test_client:
            yield test_client
    finally:
        strict.dispose()


def test_policy_hides_content_long_overdue_for_review(
    strict_client: TestClient, keys: dict[str, str]
) -> None:
    today = date.today()
    for slug, due in (("sample-late", today - timedelta(days=31)), ("sample-ok", today)):
        _data, etag = create_reviewed(
            strict_client, keys, "treatments", treatment(slug),
            last_reviewed="2019-01-01", next_review_due=str(due),
        )  # fmt: skip
        act(strict_client, keys["publisher"], "treatments", slug, "publish", etag)

    assert strict_client.get("/v1/treatments/sample-late").status_code == 404
    assert _public_slugs(strict_client, "treatments") == (["sample-ok"], 1)
