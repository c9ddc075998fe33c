"""Shapes of the webhook admin API: endpoints, deliveries and attempts.

They live with the API, not in app/schemas, because event patterns are
checked against the kind registry and the change actions (services).
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.schemas.inputs import InputModel, ShortText
from app.services.webhook_outbox import EVENT_ACTIONS, EVENT_KINDS, pattern_problem


def _valid_pattern(value: str) -> str:
    problem = pattern_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


EVENT_PATTERN = r"^(?:\*|(?:\*|{})\.(?:\*|{}))$".format(
    "|".join(sorted(EVENT_KINDS)), "|".join(sorted(EVENT_ACTIONS))
)
EventPattern = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80),
    AfterValidator(_valid_pattern),
    Field(
        examples=["treatment.published", "faq.*", "*.deleted", "*"],
        json_schema_extra={"pattern": EVENT_PATTERN},
    ),
]
Events = Annotated[list[EventPattern], Field(min_length=1, max_length=50)]
WebhookUrl = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=r"^https?://[^\s\x00]+$"),
    Field(examples=["https://integrator.example/hooks/treatments"]),
]
Secret = Annotated[
    str,
    StringConstraints(min_length=24, max_length=200, pattern=r"^[\x21-\x7e]+$"),
    Field(description="At least 24 printable ASCII characters; generated when omitted."),
]


class WebhookCreate(InputModel):
    """A webhook endpoint to register: where to send which events."""

    url: WebhookUrl
    events: Events = Field(description="Event patterns: `kind.action`, `kind.*`, `*.action`, `*`.")
    secret: Secret | None = None
    description: ShortText | None = None
    active: bool = True


class WebhookUpdate(InputModel):
    """Changes to a webhook endpoint; omitted fields stay as they are."""

    url: WebhookUrl | None = None
    events: Events | None = None
    secret: Secret | None = Field(default=None, description="Rotate: new secret from now on.")
    description: ShortText | None = None
    active: bool | None = None


class WebhookRead(BaseModel):
    """A registered webhook endpoint; its secret is never shown again."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    events: list[str]
    active: bool
    description: str | None
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookRead):
    """A newly registered webhook endpoint, with its signing secret shown once."""

    secret: str = Field(description="Shown only in this response; store it now.")


class AttemptRead(BaseModel):
    """One attempt to deliver an event: when, the answer, and how long it took."""

    model_config = ConfigDict(from_attributes=True)

    n: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryRead(BaseModel):
    """One event's delivery to one endpoint, and where its retries stand."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="The idempotency id: `Webhook-Id` and the body's `id`.")
    endpoint_id: str
    event: str
    status: Literal["pending", "delivering", "succeeded", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None


class DeliveryDetail(DeliveryRead):
    """A delivery with the payload sent and every attempt made."""

    payload: dict[str, Any]
    attempt_log: list[AttemptRead]
