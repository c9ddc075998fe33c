"""The delivery worker: claim due deliveries, send them, record the outcome.

Runs as a thread in every API process and as its own process; any number
may run at once. Claims are short leased write transactions (SKIP LOCKED on
PostgreSQL, BEGIN IMMEDIATE on SQLite) and the HTTP request happens outside
any transaction; a worker that dies mid-send leaves rows that another
claims when the lease ends, which is why receivers dedupe on `Webhook-Id`.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import orjson
from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import Database
from models.base import utcnow
from models.webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:  # httpx (and the CLI libraries it pulls in) loads on the first delivery
    import httpx

    from app.webhooks import sender

logger = logging.getLogger("app.webhooks")
CLAIMABLE = (DeliveryStatus.pending, DeliveryStatus.delivering)


@dataclass(frozen=True)
class Claim:
    delivery_id: str
    lease_until: datetime
    url: str
    secret: str
    body: bytes


def backoff_seconds(attempt: int, settings: Settings, rng: Callable[[], float]) -> float:
    ceiling = settings.webhook_backoff_base_seconds * 2.0 ** min(attempt - 1, 40)
    return float(rng() * min(settings.webhook_backoff_max_seconds, ceiling))


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        WebhookDelivery.status.in_(CLAIMABLE),
        WebhookDelivery.next_attempt_at <= now,
        WebhookEndpoint.active.is_(True),
    ]


def anything_due(session: Session, now: datetime) -> bool:
    """One cheap read, so an idle worker never takes SQLite's write lock."""
    stmt = select(WebhookDelivery.id).join(WebhookEndpoint).where(*_due(now)).limit(1)
    return session.scalar(stmt) is not None


def claim(session: Session, settings: Settings, now: datetime) -> list[Claim]:
    stmt = (
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint)
        .where(*_due(now))
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(settings.webhook_batch_size)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=WebhookDelivery)
    lease_until = now + timedelta(seconds=settings.webhook_lease_seconds)
    window = timedelta(seconds=settings.webhook_retry_window_seconds)
    claims = []
    for delivery, endpoint in session.execute(stmt):
        delivery.status = DeliveryStatus.delivering
        delivery.next_attempt_at = lease_until
        if delivery.retry_until is None:
            delivery.retry_until = now + window
        body = orjson.dumps(delivery.payload, option=orjson.OPT_SORT_KEYS)
        claims.append(Claim(delivery.id, lease_until, endpoint.url, endpoint.secret, body))
    return claims


def _claimed(session: Session, claim: Claim) -> WebhookDelivery | None:
    """The delivery if this claim still holds it (not re-claimed, not deleted)."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.id == claim.delivery_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    delivery = session.scalar(stmt)
    if (
        delivery is None
        or delivery.status != DeliveryStatus.delivering
        or delivery.next_attempt_at != claim.lease_until
    ):
        return None
    return delivery


def release(session: Session, claim: Claim) -> None:
    """Hand an unsent claim back at once (shutting down), instead of at lease end."""
    delivery = _claimed(session, claim)
    if delivery is not None:
        delivery.status = DeliveryStatus.pending
        delivery.next_attempt_at = utcnow()


def record(
    session: Session,
    settings: Settings,
    claim: Claim,
    outcome: "sender.Outcome",
    *,
    rng: Callable[[], float] = random.random,
) -> WebhookDelivery | None:
    """Store the attempt; None if the claim was lost (lease ended, row deleted)."""
    delivery = _claimed(session, claim)
    if delivery is None:
        return None
    now = utcnow()
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            n=delivery.attempts,
            at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
    )
    if outcome.ok:
        delivery.status = DeliveryStatus.succeeded
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        return delivery
    retry_at = now + timedelta(seconds=backoff_seconds(delivery.attempts, settings, rng))
    if delivery.retry_until is not None and retry_at > delivery.retry_until:
        delivery.status = DeliveryStatus.failed
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.pending
        delivery.next_attempt_at = retry_at
    return delivery


class WebhookWorker:
    """Polls for due deliveries and sends them, a few at a time."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self._database, self._settings = database, settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Made on first use, so an app whose lifespan never runs holds nothing.
        self._client: httpx.Client | None = None
        self._pool: ThreadPoolExecutor | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._settings.webhook_timeout_seconds + 5)
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def request_stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Until stopped: work off everything due, then wait one poll interval."""
        while not self._stop.is_set():
            try:
                busy = self.run_once() >= self._settings.webhook_batch_size
            except Exception:
                # Keep the thread alive: the next poll retries whatever failed.
                logger.exception("webhook worker: poll failed; will retry")
                busy = False
            if not busy:
                self._stop.wait(self._settings.webhook_poll_seconds)

    def run_once(self) -> int:
        """Claim one batch and send it; returns how many were claimed."""
        now = utcnow()
        with self._database.transaction() as session:
            if not anything_due(session, now):
                return 0
        with self._database.transaction(write=True) as session:
            claims = claim(session, self._settings, now)
        if self._pool is None or self._client is None:
            from app.webhooks import sender

            self._pool = ThreadPoolExecutor(self._settings.webhook_concurrency, "webhook-send")
            self._client = sender.make_client(self._settings)
        list(self._pool.map(self._deliver, claims))
        return len(claims)

    def _deliver(self, item: Claim) -> None:
        assert self._client is not None
        if self._stop.is_set():
            with self._database.transaction(write=True) as session:
                release(session, item)
            return
        from app.webhooks import sender

        outcome = sender.send(
            self._client,
            self._settings,
            url=item.url,
            secret=item.secret,
            delivery_id=item.delivery_id,
            body=item.body,
        )
        try:
            with self._database.transaction(write=True) as session:
                record(session, self._settings, item, outcome)
        except SQLAlchemyError:
            # The lease ends and the delivery is sent again: at least once.
            logger.exception("webhook worker: could not record delivery %s", item.delivery_id)
