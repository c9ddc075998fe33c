"""Declarative base, the constraint naming convention and shared mixins.

The naming convention makes Alembic's generated constraint names identical on
SQLite and PostgreSQL, so a migration written once drops the same names on both.
"""

import enum
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, Float, Integer, MetaData, String, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONValue = JSON().with_variant(JSONB(), "postgresql")
# For optional documents: None is SQL NULL (not JSON `null`), so `IS NULL` works.
NullableJSON = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def review_overdue(next_review_due: date | None) -> bool:
    """Overdue once the due date has passed (UTC); never reviewed is not 'overdue'."""
    return next_review_due is not None and next_review_due < datetime.now(UTC).date()


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both engines.

    SQLite has no time zone type and hands back naive values; this puts UTC
    back so API output is always RFC 3339 with an offset.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC values")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime, dict[str, Any]: JSONValue}


class Status(enum.StrEnum):
    draft = "draft"
    published = "published"
    archived = "archived"


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)


class EditorialMixin(TimestampMixin):
    """What every editorial row carries: identity, workflow state and version.

    `version` is +1 on every change and feeds the ETag, so a change on any
    worker is visible to every cache that compares versions.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    locale: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[Status] = mapped_column(
        Enum(Status, native_enum=False, length=16, validate_strings=True),
        default=Status.draft,
        index=True,
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # The pending edit of a live item, as a whole input document; the columns
    # keep serving the published version until publish applies it.
    draft: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, default=None)
    publish_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    unpublish_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    readability: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, default=None)
    readability_grade: Mapped[float | None] = mapped_column(Float, default=None, index=True)


class ReviewedMixin:
    """What a clinically reviewed kind (treatments, FAQs) keeps about its reviews.

    A review records the content hash of the reviewed fields it approved
    (app.services.editorial.review): `review_hash` for the columns, `draft_review_hash`
    for the pending draft. Publishing, now or by schedule, needs the hash of
    what it would publish to match. `schedule_cancelled` says why the last
    schedule was called off ({at, publish_at, reason}) until the next one.
    """

    review_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    draft_review_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    schedule_cancelled: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, default=None)
