"""Per-locale text of an item, stored apart from the item so untranslated
fields fall back to the default locale."""

from datetime import date
from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JSONValue, NullableJSON, TimestampMixin


class Translation(TimestampMixin, Base):
    """One locale's text for one item: a partial input document of text fields only.

    `data` is shaped like the kind's create schema but holds only the fields
    listed in the kind's `text_fields` (see app/content/kinds.py); anything absent
    falls back to the item's own text, field by field, when read.
    """

    __tablename__ = "translation"
    __table_args__ = (UniqueConstraint("kind", "item_id", "locale"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(36), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSONValue, default=dict)
    # Pending text for a live item: served only once the item is published again.
    draft: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Reviewed kinds: the content hashes a review approved for `data` and for
    # `draft` (app.services.editorial.review), and the latest review of this locale.
    review_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    draft_review_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    reviewed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    last_reviewed: Mapped[date | None] = mapped_column(default=None)
