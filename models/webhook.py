"""Webhooks: registered endpoints, the outbox of deliveries, and each attempt.

`webhook_delivery` is a transactional outbox: rows are inserted by a
content-changed subscriber in the change's own transaction and sent later by
the worker (app/jobs/webhook_worker.py), so a crash can neither lose an event
nor announce one that was rolled back.
"""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONValue, TimestampMixin, new_id, utcnow


class DeliveryStatus(enum.StrEnum):
    pending = "pending"  # waiting for its next_attempt_at
    # Claimed by a worker; next_attempt_at is then the lease's end, after which
    # another worker may claim it again (the first one died mid-send).
    delivering = "delivering"
    succeeded = "succeeded"
    failed = "failed"  # gave up after the retry window; redeliver by hand


class WebhookEndpoint(TimestampMixin, Base):
    """A URL that receives signed event deliveries.

    The secret is stored as given: signing needs the raw value, so unlike API
    keys it cannot be hashed. It is shown once, in the create response.
    """

    __tablename__ = "webhook_endpoint"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    secret: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    description: Mapped[str | None] = mapped_column(String(300), default=None)


class WebhookDelivery(TimestampMixin, Base):
    """One event for one endpoint; its id is the idempotency id receivers see."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index(None, "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    endpoint_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    status: Mapped[DeliveryStatus] = mapped_column(
        Enum(DeliveryStatus, native_enum=False, length=16, validate_strings=True),
        default=DeliveryStatus.pending,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # End of the current round of automatic retries; set by the worker on the
    # round's first attempt and cleared by a manual redelivery.
    retry_until: Mapped[datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookAttempt(Base):
    """One HTTP attempt of a delivery: the per-endpoint delivery log's detail."""

    __tablename__ = "webhook_attempt"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    n: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    error: Mapped[str | None] = mapped_column(String(300), default=None)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
