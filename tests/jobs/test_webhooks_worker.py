"""The worker's bookkeeping without HTTP: claims, leases, retries, the window."""

from datetime import timedelta

from app.config import Settings
from app.db import Database
from app.jobs.webhook_worker import claim, record, release
from app.services import webhook as webhook_service
from app.webhooks.sender import Outcome
from models import WebhookAttempt, WebhookDelivery
from models.base import utcnow
from tests.support.webhook_support import webhook_settings

FAILED = Outcome(ok=False, status_code=502, error="HTTP 502", duration_ms=5)
OK = Outcome(ok=True, status_code=204, error=None, duration_ms=5)


def _queue_ping(database: Database, settings: Settings) -> str:
    with database.transaction(write=True) as session:
        endpoint = webhook_service.create_endpoint(
            session, settings=settings, url="http://127.0.0.1:9/hook", events=["*"]
        )
        return webhook_service.ping(session, endpoint=endpoint).id


def _get(database: Database, delivery_id: str) -> WebhookDelivery:
    with database.transaction() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        return delivery


def test_a_claim_is_exclusive_until_its_lease_ends(settings: Settings, database: Database) -> None:
    fast = webhook_settings(settings)
    delivery_id = _queue_ping(database, fast)
    now = utcnow()

    with database.transaction(write=True) as session:
        (first,) = claim(session, fast, now)
    with database.transaction(write=True) as session:
        assert claim(session, fast, now + timedelta(seconds=1)) == []
    # The first worker died mid-send: after the lease another one takes over...
    after_lease = now + timedelta(seconds=fast.webhook_lease_seconds + 1)
    with database.transaction(write=True) as session:
        (second,) = claim(session, fast, after_lease)
    # ...and the late first worker's result is ignored, not double-counted.
    with database.transaction(write=True) as session:
        assert record(session, fast, first, OK) is None
    with database.transaction(write=True) as session:
        assert record(session, fast, second, OK) is not None

    stored = _get(database, delivery_id)
    assert second.delivery_id == first.delivery_id == delivery_id
    assert (stored.status, stored.attempts, stored.next_attempt_at) == ("succeeded", 1, None)


def test_failures_back_off_until_the_window_then_fail(
    settings: Settings, database: Database
) -> None:
    fast = webhook_settings(settings, webhook_retry_window_seconds=60)
    delivery_id = _queue_ping(database, fast)

    with database.transaction(write=True) as session:
        (first,) = claim(session, fast, utcnow())
    with database.transaction(write=True) as session:
        retried = record(session, fast, first, FAILED, rng=lambda: 1.0)
        assert retried is not None
        assert retried.status == "pending"
        assert retried.next_attempt_at is not None
        assert retried.last_error == "HTTP 502"
        retried.retry_until = utcnow()  # the window has run out
    with database.transaction(write=True) as session:
        (second,) = claim(session, fast, utcnow() + timedelta(seconds=1))
    with database.transaction(write=True) as session:
        record(session, fast, second, FAILED, rng=lambda: 1.0)

    stored = _get(database, delivery_id)
    assert (stored.status, stored.attempts, stored.last_status_code) == ("failed", 2, 502)
    with database.transaction() as session:
        attempts = session.query(WebhookAttempt).order_by(WebhookAttempt.n).all()
        assert [(a.n, a.status_code) for a in attempts] == [(1, 502), (2, 502)]


def test_a_stopping_worker_hands_unsent_claims_back(settings: Settings, database: Database) -> None:
    fast = webhook_settings(settings)
    delivery_id = _queue_ping(database, fast)
    with database.transaction(write=True) as session:
        (held,) = claim(session, fast, utcnow())

    with database.transaction(write=True) as session:
        release(session, held)

    stored = _get(database, delivery_id)
    assert stored.status == "pending"
    assert stored.attempts == 0
    assert stored.next_attempt_at is not None
    assert stored.next_attempt_at <= utcnow()
