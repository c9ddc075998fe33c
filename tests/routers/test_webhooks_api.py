"""The webhook admin API and the outbox: registration rules, the secret shown
once, and deliveries queued in the very transaction of the change."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.content.kinds import KINDS
from app.db import Database
from app.services.editorial import direct_writes as content
from models import WebhookDelivery
from tests.support.apps import SettingsApp
from tests.support.editorial import auth, create, reviewed_and_published, sample_treatment
from tests.support.webhook_support import register, webhook_changes

HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def hooks_client(settings_app: SettingsApp) -> Iterator[TestClient]:
    with TestClient(settings_app(**webhook_changes())) as test_client:
        yield test_client


def _deliveries(database: Database) -> list[WebhookDelivery]:
    with database.transaction() as session:
        stmt = select(WebhookDelivery).order_by(WebhookDelivery.created_at)
        return list(session.scalars(stmt))


def test_register_returns_the_secret_once(hooks_client: TestClient, keys: dict[str, str]) -> None:
    created = register(hooks_client, keys["admin"], HOOK, ["faq.*", "treatment.published"])

    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["faq.*", "treatment.published"]
    one = hooks_client.get(f"/v1/webhooks/{created['id']}", headers=auth(keys["admin"]))
    listed = hooks_client.get("/v1/webhooks", headers=auth(keys["admin"]))
    assert one.status_code == 200
    assert one.headers["cache-control"] == "no-store"
    assert "secret" not in one.json()["data"]
    assert [item["id"] for item in listed.json()["data"]] == [created["id"]]
    assert "secret" not in listed.json()["data"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://10.0.0.7/hook", "events": ["*"]}, "url"),
        ({"url": "http://169.254.169.254/", "events": ["*"]}, "url"),
        ({"url": HOOK, "events": ["faqs.updated"]}, "events.0"),
        ({"url": HOOK, "events": []}, "events"),
        ({"url": HOOK, "events": ["*"], "secret": "short"}, "secret"),
        ({"url": HOOK, "events": ["*"], "id": "mine"}, "id"),
    ],
)
def test_registration_is_validated(
    hooks_client: TestClient, keys: dict[str, str], body: dict[str, object], field: str
) -> None:
    response = hooks_client.post("/v1/webhooks", json=body, headers=auth(keys["admin"]))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


def test_the_default_settings_refuse_loopback_and_http(
    client: TestClient, keys: dict[str, str]
) -> None:
    response = client.post(
        "/v1/webhooks", json={"url": HOOK, "events": ["*"]}, headers=auth(keys["admin"])
    )

    assert response.status_code == 422
    assert "https" in response.json()["detail"]


def test_only_admins_manage_webhooks(hooks_client: TestClient, keys: dict[str, str]) -> None:
    body = {"url": HOOK, "events": ["*"]}

    assert (
        hooks_client.post("/v1/webhooks", json=body, headers=auth(keys["publisher"])).status_code
        == 403
    )
    assert hooks_client.get("/v1/webhooks", headers=auth(keys["publisher"])).status_code == 403
    assert hooks_client.get("/v1/webhooks").status_code == 401


def test_publishing_queues_exactly_the_matching_deliveries(
    hooks_client: TestClient, keys: dict[str, str], database: Database
) -> None:
    published = register(hooks_client, keys["admin"], HOOK, ["treatment.published"])
    everything = register(hooks_client, keys["admin"], HOOK, ["*"])
    faqs = register(hooks_client, keys["admin"], HOOK, ["faq.*"])
    register(hooks_client, keys["admin"], HOOK, ["*"], active=False)

    data, etag = create(hooks_client, keys["editor"], "treatments", sample_treatment())
    reviewed_and_published(hooks_client, keys, "treatments", "sample-therapy", etag)

    rows = _deliveries(database)
    seen = sorted((row.endpoint_id, row.event) for row in rows)
    assert seen == sorted(
        [
            (everything["id"], "treatment.created"),
            (everything["id"], "treatment.reviewed"),
            (everything["id"], "treatment.published"),
            (published["id"], "treatment.published"),
        ]
    )
    assert faqs["id"] not in {row.endpoint_id for row in rows}
    one = next(row for row in rows if row.endpoint_id == published["id"])
    assert one.status == "pending"
    assert one.payload["id"] == one.id
    assert one.payload["type"] == "treatment.published"
    assert one.payload["data"] == {
        "kind": "treatment",
        "id": data["id"],
        "slug": "sample-therapy",
        "version": 3,
        "action": "published",
    }


def test_a_rolled_back_change_queues_nothing(
    hooks_client: TestClient, keys: dict[str, str], database: Database
) -> None:
    register(hooks_client, keys["admin"], HOOK, ["*"])
    kind = KINDS["treatments"]

    with pytest.raises(RuntimeError), database.transaction(write=True) as session:
        content.create(
            session, kind=kind, payload=kind.create_schema.model_validate(sample_treatment())
        )
        queued = session.scalar(select(func.count()).select_from(WebhookDelivery))
        assert queued == 1  # in the change's own transaction...
        raise RuntimeError("the write fails after the hook ran")

    assert _deliveries(database) == []  # ...so it rolls back with it


def test_delivery_log_ping_redeliver_update_and_delete(
    hooks_client: TestClient, keys: dict[str, str], database: Database
) -> None:
    admin = auth(keys["admin"])
    endpoint = register(hooks_client, keys["admin"], HOOK, ["doctor.*"])
    base = f"/v1/webhooks/{endpoint['id']}"

    ping = hooks_client.post(f"{base}/ping", headers=admin)
    log = hooks_client.get(f"{base}/deliveries", headers=admin)
    one = hooks_client.get(f"{base}/deliveries/{ping.json()['data']['id']}", headers=admin)

    assert ping.status_code == 202, ping.text
    assert ping.json()["data"]["event"] == "webhook.ping"
    assert log.json()["meta"]["total"] == 1
    assert log.json()["data"][0]["status"] == "pending"
    assert one.json()["data"]["payload"]["type"] == "webhook.ping"
    assert one.json()["data"]["attempt_log"] == []
    again = hooks_client.post(
        f"{base}/deliveries/{ping.json()['data']['id']}/redeliver", headers=admin
    )
    assert again.status_code == 202
    assert again.json()["data"]["id"] == ping.json()["data"]["id"]
    assert (
        hooks_client.get(f"{base}/deliveries?status=failed", headers=admin).json()["meta"]["total"]
        == 0
    )
    assert hooks_client.get("/v1/webhooks/nope/deliveries", headers=admin).status_code == 404

    changed = hooks_client.patch(base, json={"active": False, "events": ["*"]}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["active"] is False
    assert (
        hooks_client.patch(base, json={"url": "http://10.0.0.1/"}, headers=admin).status_code == 422
    )
    assert hooks_client.patch(base, json={"active": None}, headers=admin).status_code == 422

    assert hooks_client.delete(base, headers=admin).status_code == 204
    assert hooks_client.get(base, headers=admin).status_code == 404
    assert _deliveries(database) == []
