"""Webhooks end to end against a real HTTP receiver on loopback: retries,
signatures, the retry window, manual redelivery (API and CLI), and a worker
killed between commit and delivery."""

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import wiring
from app.config import Settings
from app.db import Database, make_engine
from app.jobs.webhook_worker import WebhookWorker
from app.services import webhook as webhook_service
from models import WebhookDelivery, WebhookEndpoint
from tests.support.apps import SettingsApp
from tests.support.editorial import auth, create, sample_treatment
from tests.support.servers import SERVER
from tests.support.webhook_support import (
    Receiver,
    readme_verifier,
    register,
    running_receiver,
    wait_for,
    webhook_changes,
    webhook_settings,
)

pytestmark = pytest.mark.slow
TREATMENTS = Path(sys.executable).with_name("treatments")


@pytest.fixture
def worker_settings(settings: Settings) -> Settings:
    return webhook_settings(settings, webhook_worker_enabled=True)


@pytest.fixture
def live_client(settings_app: SettingsApp) -> Iterator[TestClient]:
    """An app whose lifespan runs the webhook worker thread, as in production."""
    with TestClient(settings_app(**webhook_changes(webhook_worker_enabled=True))) as test_client:
        yield test_client


def _status(database: Database, delivery_id: str) -> str:
    with database.transaction() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        return str(delivery.status)


def _only_delivery(database: Database) -> WebhookDelivery:
    with database.transaction() as session:
        (delivery,) = session.query(WebhookDelivery).all()
        return delivery


def test_two_failures_then_success_signed_with_three_attempts_logged(
    live_client: TestClient, keys: dict[str, str], database: Database
) -> None:
    verify = readme_verifier()
    with running_receiver(Receiver(script=[500, 503])) as receiver:
        endpoint = register(live_client, keys["admin"], receiver.url, ["treatment.created"])
        treatment, _etag = create(live_client, keys["editor"], "treatments", sample_treatment())
        delivery = _only_delivery(database)
        wait_for(lambda: _status(database, delivery.id) == "succeeded")

    assert [hit.status for hit in receiver.hits] == [500, 503, 200]
    assert {hit.headers["Webhook-Id"] for hit in receiver.hits} == {delivery.id}
    for hit in receiver.hits:
        assert verify(endpoint["secret"], hit.headers, hit.body)
        assert hit.headers["Content-Type"] == "application/json"
        assert hit.headers["User-Agent"] == "treatment-content-api-webhooks"
    body = receiver.hits[-1].body
    assert b'"type":"treatment.created"' in body
    assert treatment["id"].encode() in body

    log = live_client.get(
        f"/v1/webhooks/{endpoint['id']}/deliveries/{delivery.id}", headers=auth(keys["admin"])
    ).json()["data"]
    assert log["status"] == "succeeded"
    assert log["attempts"] == 3
    assert log["last_status_code"] == 200
    assert log["delivered_at"] is not None
    assert [a["status_code"] for a in log["attempt_log"]] == [500, 503, 200]
    assert [a["n"] for a in log["attempt_log"]] == [1, 2, 3]
    assert log["attempt_log"][0]["error"] == "HTTP 500"


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TREATMENTS), "webhooks", *args],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=Path(sys.executable).parent,  # away from any developer's .env
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_down_past_the_retry_window_fails_then_redelivers_by_api_and_cli(
    settings_app: SettingsApp, database: Database, database_url: str, keys: dict[str, str]
) -> None:
    down_for_a_while = settings_app(
        **webhook_changes(webhook_worker_enabled=True, webhook_retry_window_seconds=0.6)
    )
    admin = auth(keys["admin"])
    with running_receiver(Receiver()) as receiver:
        url, port = receiver.url, int(receiver.url.split(":")[2].split("/")[0])
    # The receiver is down now: connections to its port are refused.
    with TestClient(down_for_a_while) as client:
        endpoint = register(client, keys["admin"], url, ["*"])
        base = f"/v1/webhooks/{endpoint['id']}"
        pings = [client.post(f"{base}/ping", headers=admin).json()["data"]["id"] for _ in range(3)]
        wait_for(lambda: all(_status(database, one) == "failed" for one in pings))

        failed = client.get(f"{base}/deliveries?status=failed", headers=admin).json()
        assert failed["meta"]["total"] == 3
        first = client.get(f"{base}/deliveries/{pings[0]}", headers=admin).json()["data"]
        assert first["attempts"] >= 2
        assert first["next_attempt_at"] is None
        assert first["last_status_code"] is None
        assert "ConnectError" in first["last_error"]

        listed = _cli(database_url, "list")
        assert listed.returncode == 0, listed.stderr
        assert f"{endpoint['id']}\t{url}\t*\tTrue\t0\t3" in listed.stdout

        with running_receiver(Receiver(), port=port) as receiver:
            again = client.post(f"{base}/deliveries/{pings[0]}/redeliver", headers=admin)
            assert again.status_code == 202
            wait_for(lambda: _status(database, pings[0]) == "succeeded")
            one = _cli(database_url, "redeliver", pings[1])
            assert one.returncode == 0, one.stderr
            wait_for(lambda: _status(database, pings[1]) == "succeeded")
            rest = _cli(database_url, "redeliver", "--failed", endpoint["id"])
            assert rest.returncode == 0, rest.stderr
            assert "queued 1 delivery" in rest.stdout
            wait_for(lambda: _status(database, pings[2]) == "succeeded")

        assert sorted(hit.headers["Webhook-Id"] for hit in receiver.hits) == sorted(pings)
        log = client.get(f"{base}/deliveries/{pings[0]}", headers=admin).json()["data"]
        assert log["attempt_log"][-1]["status_code"] == 200
        assert log["attempts"] == first["attempts"] + 1

    missing = _cli(database_url, "redeliver", "no-such-delivery")
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: No webhook delivery")


def test_concurrent_workers_never_send_a_delivery_twice(
    settings: Settings, database: Database
) -> None:
    busy = webhook_settings(settings, webhook_batch_size=3, webhook_concurrency=2)
    with running_receiver(Receiver(delay=0.01)) as receiver:
        with database.transaction(write=True) as session:
            endpoint = webhook_service.create_endpoint(
                session, settings=busy, url=receiver.url, events=["*"]
            )
            for _ in range(40):
                webhook_service.ping(session, endpoint=endpoint)
        databases = [Database(make_engine(busy)) for _ in range(3)]
        for each in databases:
            wiring.connect(each)
        workers = [WebhookWorker(db, busy) for db in databases]
        for worker in workers:
            worker.start()
        try:
            wait_for(lambda: len(receiver.hits) >= 40, timeout=30)
            wait_for(lambda: _count_succeeded(database) == 40)
        finally:
            for worker in workers:
                worker.stop()
            for db in databases:
                db.dispose()

    sent = Counter(hit.headers["Webhook-Id"] for hit in receiver.hits)
    assert len(sent) == 40
    assert set(sent.values()) == {1}


def _count_succeeded(database: Database) -> int:
    with database.transaction() as session:
        return session.query(WebhookDelivery).filter(WebhookDelivery.status == "succeeded").count()


@pytest.mark.server
def test_no_event_is_lost_when_the_api_is_killed_before_delivery(
    tmp_path: Path, database: Database, database_url: str, keys: dict[str, str]
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "WEBHOOK_ALLOW_HTTP": "true",
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "WEBHOOK_POLL_SECONDS": "3600",  # one poll at start-up, then none before the kill
        "SCHEDULE_CHECK_SECONDS": "3600",
    }
    with running_receiver(Receiver()) as receiver:
        api = _serve(tmp_path, env)
        try:
            import httpx

            with httpx.Client(base_url=api.base_url, timeout=10) as http:
                endpoint = http.post(
                    "/v1/webhooks",
                    json={"url": receiver.url, "events": ["treatment.created"]},
                    headers=auth(keys["admin"]),
                )
                assert endpoint.status_code == 201, endpoint.text
                written = http.post(
                    "/v1/treatments", json=sample_treatment(), headers=auth(keys["editor"])
                )
                assert written.status_code == 201, written.text
        finally:
            os.killpg(api.process.pid, signal.SIGKILL)  # no shutdown hook runs, in any process
            api.process.wait(timeout=10)
        delivery = _only_delivery(database)
        assert delivery.status == "pending"
        assert receiver.hits == []

        worker = subprocess.Popen(
            [str(TREATMENTS), "webhooks", "worker"],
            env={**env, "WEBHOOK_POLL_SECONDS": "0.05"},
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: _status(database, delivery.id) == "succeeded", timeout=30)
        finally:
            worker.terminate()
            _out, err = worker.communicate(timeout=20)
        assert worker.returncode == 0, err
        assert "webhook worker stopped" in err

    assert [hit.headers["Webhook-Id"] for hit in receiver.hits] == [delivery.id]
    with database.transaction() as session:
        stored = session.get(WebhookEndpoint, endpoint.json()["data"]["id"])
        assert stored is not None


class _Api:
    def __init__(self, process: subprocess.Popen[str], base_url: str) -> None:
        self.process, self.base_url = process, base_url


def _serve(cwd: Path, env: dict[str, str]) -> _Api:
    import socket

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(TREATMENTS), "serve", "--port", str(port), "--no-access-log", "--server", SERVER],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own group: the kill below reaches forked workers too
    )
    base_url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert process.poll() is None, "the API exited during start-up"
        try:
            return httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(up, timeout=30)
    return _Api(process, base_url)
