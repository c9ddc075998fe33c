"""Shapes of the editorial API: workflow inputs, revisions, audit, and the
editorial view of an item (its editable document plus workflow state)."""

from datetime import date, datetime
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.schemas.inputs import InputModel, IsoDate, ShortText, Slug, UtcDateTime


class PublishInput(InputModel):
    """When to publish an item, and optionally when to take it down."""

    publish_at: UtcDateTime | None = Field(
        default=None, description="Publish at this time (RFC 3339); omitted or past: now."
    )
    unpublish_at: UtcDateTime | None = Field(
        default=None, description="Take it down again at this time."
    )


REVIEW_FIELDS = ("last_reviewed", "next_review_due", "reviewed_by")
"""Set only by the review action: a create or PATCH naming one is a 422."""


class ReviewMetadata(InputModel):
    """A clinical review as stored documents carry it (drafts, revisions, exports)."""

    last_reviewed: IsoDate | None = None
    next_review_due: IsoDate | None = None
    reviewed_by: ShortText | None = None


class ReviewInput(InputModel):
    """A recorded clinical review, required before treatments and FAQs publish."""

    reviewed_by: ShortText = Field(description="The clinician who reviewed the content.")
    last_reviewed: IsoDate | None = Field(default=None, description="Defaults to today (UTC).")
    next_review_due: IsoDate | None = Field(
        default=None, description="Defaults to last_reviewed plus REVIEW_INTERVAL_DAYS."
    )


class FaqOrderInput(InputModel):
    """The new order of a treatment's FAQs."""

    faqs: Annotated[list[Slug], Field(min_length=1, max_length=500)] = Field(
        description="Every FAQ of the treatment, by slug, in the new order."
    )


class ReadabilityWarning(BaseModel):
    """A prose field that reads above the target grade."""

    field: str
    grade: float
    message: str


class ScheduleCancelled(BaseModel):
    """Why a scheduled publish was called off: its version lost its clinical review."""

    at: datetime = Field(description="When the schedule was cancelled.")
    publish_at: datetime | None = Field(description="The publish time it had.")
    reason: str


class EditorialItem(BaseModel):
    """The editable document (the kind's create fields) plus its workflow state."""

    model_config = ConfigDict(extra="allow")

    id: str
    slug: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    publish_at: datetime | None
    unpublish_at: datetime | None
    scheduled: bool = Field(description="Published with a publish_at still in the future.")
    live: bool = Field(description="Served to the public right now.")
    has_draft: bool = Field(
        description="A published item with pending changes; the public sees the "
        "published version until the next publish."
    )
    review_overdue: bool | None = None
    schedule_cancelled: ScheduleCancelled | None = Field(
        default=None,
        description="Treatments and FAQs: why the last scheduled publish was called off "
        "(its version was not the reviewed text); cleared by the next publish or schedule.",
    )
    readability: dict[str, float] = Field(description="Grade per prose field (Flesch-Kincaid).")
    readability_grade: float | None
    warnings: list[ReadabilityWarning]


class EditorialSummary(BaseModel):
    """One item in the editorial list: its state and what needs attention."""

    kind: str
    id: str
    slug: str
    label: str
    status: str
    version: int
    updated_at: datetime
    has_draft: bool
    publish_at: datetime | None
    review_overdue: bool | None
    next_review_due: date | None
    readability_grade: float | None


class RevisionSummary(BaseModel):
    """One revision of an item: who changed what, and when."""

    model_config = ConfigDict(from_attributes=True)

    number: int
    action: str
    status: str
    version: int
    actor: str
    api_key_id: str | None
    created_at: datetime
    diff: dict[str, Any]


class RevisionRead(RevisionSummary):
    """One revision with the whole document as it stood after it."""

    snapshot: dict[str, Any]


class AuditEventRead(BaseModel):
    """One entry of the audit trail: an action taken by a key."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    occurred_at: datetime
    actor: str
    api_key_id: str | None
    key_prefix: str | None
    action: str
    kind: str
    item_id: str | None
    slug: str | None
    version: int | None
    details: dict[str, Any]


@cache
def update_schema(create_schema: type[BaseModel]) -> type[BaseModel]:
    """`XUpdate`: the create fields, all optional, for the OpenAPI of a merge patch."""
    fields: dict[str, Any] = {}
    for name, info in create_schema.model_fields.items():
        annotation: Any = info.annotation
        fields[name] = (annotation | None, Field(default=None, description=info.description))
    name = create_schema.__name__.removesuffix("Create") + "Update"
    model: type[BaseModel] = create_model(
        name, __config__=ConfigDict(extra="forbid"), __doc__=_UPDATE_DOC, **fields
    )
    return model


_UPDATE_DOC = (
    "A JSON merge patch (RFC 7386) of the item's document: fields you send replace "
    "the current ones, objects merge recursively, `null` resets a field to its "
    "default (or fails, for a required field); read-only and unknown fields are a 422."
)
