"""The records of an export file (docs/export-format.md), as import validates them.

The `document` and `draft` of an item are validated separately, with the
kind's Create schema, exactly as the API validates a body; these models
check the envelope around them.
"""

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from models.base import Status

Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class RecordModel(BaseModel):
    """Base of every export record: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class ExportManifest(RecordModel):
    """The first record of an export file: format, kinds and counts."""

    type: Literal["manifest"]
    format: Literal["treatment-content-export"]
    # 1: before translation drafts and `state`; 2: before conditions were items (both read)
    version: Literal[1, 2, 3]
    kinds: list[str]
    counts: dict[str, Annotated[int, Field(ge=0)]]
    as_of: AwareDatetime | None = None
    excluded: list[str] = []


class RevisionRecord(RecordModel):
    """One revision of an exported item."""

    id: Id
    number: Annotated[int, Field(ge=1)]
    action: Name
    status: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    version: Annotated[int, Field(ge=1)]
    actor: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    created_at: AwareDatetime
    snapshot: dict[str, Any]
    diff: dict[str, Any]
    state: dict[str, Any] = {}  # further columns (app/services/transfer/export_state.py)


class TranslationRecord(RecordModel):
    """One locale's text of an exported item."""

    data: dict[str, Any]
    # Text for a live item waiting for its next publish (version 2 on).
    draft: dict[str, Any] | None = None
    version: Annotated[int, Field(ge=1)]
    created_at: AwareDatetime
    updated_at: AwareDatetime
    state: dict[str, Any] = {}


class ItemRecord(RecordModel):
    """One exported item with its document, draft, translations and history."""

    type: Literal["item"]
    kind: Name
    id: Id
    slug: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    status: Status
    version: Annotated[int, Field(ge=1)]
    created_at: AwareDatetime
    updated_at: AwareDatetime
    deleted_at: AwareDatetime | None = None
    publish_at: AwareDatetime | None = None
    unpublish_at: AwareDatetime | None = None
    document: dict[str, Any]
    draft: dict[str, Any] | None = None
    # Derived from the prose, but costly to recompute for a large import;
    # graded afresh when a file leaves it out.
    readability: dict[str, float] | None = None
    translations: dict[str, TranslationRecord] = {}
    revisions: list[RevisionRecord] = []
    # Every column of the kind's table that neither the document nor the keys
    # above cover, by column name (app/services/transfer/export_state.py).
    state: dict[str, Any] = {}
