"""Webhook endpoints and their delivery log: registration, changes, redelivery.

URLs are checked against the SSRF rules (app/webhooks/targets.py) whenever
they are set. Secrets are generated here when not given and never listed.
"""

import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Conflict, NotFound, ValidationFailed
from app.services.paging import ListParams, apply_sort, page
from app.services.webhook_outbox import PING_EVENT, queue
from app.webhooks.targets import TargetRefused, check_url
from models.base import utcnow
from models.webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

SECRET_PREFIX = "whsec_"
ENDPOINT_SORTS = {"created_at": WebhookEndpoint.created_at, "url": WebhookEndpoint.url}
DELIVERY_SORTS = {
    "created_at": WebhookDelivery.created_at,
    "next_attempt_at": WebhookDelivery.next_attempt_at,
}


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _checked_url(url: str, settings: Settings) -> str:
    try:
        check_url(url, settings)
    except TargetRefused as exc:
        raise ValidationFailed(
            f"The webhook URL is not allowed: {exc}.",
            errors=[{"field": "url", "message": str(exc)}],
        ) from exc
    return url


def create_endpoint(
    session: Session,
    *,
    settings: Settings,
    url: str,
    events: list[str],
    secret: str | None = None,
    description: str | None = None,
    active: bool = True,
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        url=_checked_url(url, settings),
        events=sorted(set(events)),
        secret=secret or new_secret(),
        description=description,
        active=active,
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def get_endpoint(session: Session, *, endpoint_id: str) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(f"No webhook {endpoint_id!r}.")
    return endpoint


def list_endpoints(session: Session, *, params: ListParams) -> tuple[list[WebhookEndpoint], int]:
    stmt = apply_sort(
        select(WebhookEndpoint),
        sort=params.sort,
        allowed=ENDPOINT_SORTS,
        default=["created_at"],
        tiebreak=WebhookEndpoint.id,
    )
    return page(session, stmt=stmt, params=params)


def all_endpoints(session: Session) -> list[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    return list(session.scalars(stmt))


def update_endpoint(
    session: Session, *, settings: Settings, endpoint: WebhookEndpoint, changes: dict[str, Any]
) -> WebhookEndpoint:
    if "url" in changes:
        changes["url"] = _checked_url(changes["url"], settings)
    if "events" in changes:
        changes["events"] = sorted(set(changes["events"]))
    for name, value in changes.items():
        if value is None and name != "description":
            raise ValidationFailed(
                f"{name} cannot be null.", errors=[{"field": name, "message": "cannot be null"}]
            )
        setattr(endpoint, name, value)
    endpoint.updated_at = utcnow()
    session.flush()
    return endpoint


def delete_endpoint(session: Session, *, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its delivery log (the database cascades)."""
    session.delete(endpoint)
    session.flush()


def list_deliveries(
    session: Session,
    *,
    endpoint_id: str,
    params: ListParams,
    status: DeliveryStatus | None = None,
) -> tuple[list[WebhookDelivery], int]:
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    stmt = apply_sort(
        stmt,
        sort=params.sort,
        allowed=DELIVERY_SORTS,
        default=["-created_at"],
        tiebreak=WebhookDelivery.id,
    )
    return page(session, stmt=stmt, params=params)


def get_delivery(
    session: Session, *, delivery_id: str, endpoint_id: str | None = None
) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or (endpoint_id is not None and delivery.endpoint_id != endpoint_id):
        raise NotFound(f"No webhook delivery {delivery_id!r}.")
    return delivery


def attempts(session: Session, *, delivery: WebhookDelivery) -> list[WebhookAttempt]:
    stmt = select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery.id)
    return list(session.scalars(stmt.order_by(WebhookAttempt.n, WebhookAttempt.id)))


def redeliver(session: Session, *, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue it again now, same idempotency id, with a fresh retry window."""
    if delivery.status == DeliveryStatus.delivering:
        raise Conflict("The delivery is being sent right now; check its log in a moment.")
    delivery.status = DeliveryStatus.pending
    delivery.next_attempt_at = utcnow()
    delivery.retry_until = None
    delivery.updated_at = utcnow()
    session.flush()
    return delivery


def redeliver_failed(session: Session, *, endpoint_id: str) -> int:
    failed = session.scalars(
        select(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.status == DeliveryStatus.failed,
        )
    ).all()
    for delivery in failed:
        redeliver(session, delivery=delivery)
    return len(failed)


def ping(session: Session, *, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a `webhook.ping` event for this endpoint, whatever it subscribes to."""
    delivery = queue(
        session, endpoint=endpoint, event=PING_EVENT, data={"endpoint_id": endpoint.id}
    )
    session.flush()
    return delivery


def status_counts(session: Session) -> dict[str, dict[str, int]]:
    """{endpoint_id: {status: count}} over every delivery."""
    rows = session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.endpoint_id, WebhookDelivery.status
        )
    )
    counts: dict[str, dict[str, int]] = {}
    for endpoint_id, status, count in rows:
        counts.setdefault(endpoint_id, {})[str(status)] = int(count)
    return counts
