"""The webhook outbox: a content-changed subscriber that queues deliveries.

Runs inside the change's transaction (app/services/change_hook.py), so a
delivery row exists exactly when the change committed: a crash before the
commit loses both, a crash after it leaves the row for the worker to send
on restart. An event is `{kind}.{action}`, e.g. `faq.updated`; endpoints
subscribe with patterns: `treatment.published`, `faq.*`, `*.deleted`, `*`.
"""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.kinds import KINDS_BY_NAME
from app.services.change_hook import Action, Change
from models.base import utcnow
from models.webhook import WebhookDelivery, WebhookEndpoint

PING_EVENT = "webhook.ping"
EVENT_KINDS = frozenset(KINDS_BY_NAME)
EVENT_ACTIONS = frozenset(action.value for action in Action)


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` can never match an event, or None when it is valid."""
    if pattern == "*":
        return None
    kind, dot, action = pattern.partition(".")
    if not dot:
        return "use `kind.action`, `kind.*`, `*.action` or `*`"
    if kind != "*" and kind not in EVENT_KINDS:
        return f"unknown kind {kind!r}; one of {', '.join(sorted(EVENT_KINDS))}"
    if action != "*" and action not in EVENT_ACTIONS:
        return f"unknown action {action!r}; one of {', '.join(sorted(EVENT_ACTIONS))}"
    return None


def matches(patterns: list[str], *, event: str) -> bool:
    kind, _, action = event.partition(".")
    for pattern in patterns:
        if pattern == "*":
            return True
        p_kind, _, p_action = pattern.partition(".")
        if p_kind in ("*", kind) and p_action in ("*", action):
            return True
    return False


def envelope(delivery_id: str, *, event: str, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON body receivers get; its `id` is the delivery's idempotency id."""
    return {"id": delivery_id, "type": event, "created_at": utcnow().isoformat(), "data": data}


def queue(
    session: Session, *, endpoint: WebhookEndpoint, event: str, data: dict[str, Any]
) -> WebhookDelivery:
    delivery_id = str(uuid.uuid4())
    delivery = WebhookDelivery(
        id=delivery_id,
        endpoint_id=endpoint.id,
        event=event,
        payload=envelope(delivery_id, event=event, data=data),
        next_attempt_at=utcnow(),
    )
    session.add(delivery)
    return delivery


def queue_deliveries(session: Session, *, change: Change) -> None:
    event = f"{change.kind}.{change.action.value}"
    endpoints = session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))
    ).all()
    item = change.item
    data = {
        "kind": change.kind,
        "id": item.id,
        "slug": item.slug,
        "version": item.version,
        "action": change.action.value,
    }
    if change.action == Action.schedule_cancelled:
        data["schedule_cancelled"] = getattr(item, "schedule_cancelled", None)
    for endpoint in endpoints:
        if matches(endpoint.events, event=event):
            queue(session, endpoint=endpoint, event=event, data=data)
    session.flush()
