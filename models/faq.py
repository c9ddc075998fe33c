"""Frequently asked questions, ordered per treatment and tagged, so pages can
show the right ones in the right order."""

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin, ReviewedMixin, review_overdue

if TYPE_CHECKING:
    from models.treatment import Treatment


_VISIBLE = ("status", "deleted_at", "publish_at", "unpublish_at")


class Faq(ReviewedMixin, EditorialMixin, Base):
    """One question and answer: an addressable item with its own review."""

    __tablename__ = "faq"
    # Late pages of the FAQ list as cheap as the first (migration 0007 says why).
    __table_args__ = (
        Index("ix_faq_visible_by_treatment", "treatment_id", *_VISIBLE, "position", "id"),
        Index("ix_faq_visible_by_updated_at", "updated_at", *_VISIBLE, "id"),
    )

    question: Mapped[str] = mapped_column(String(500))
    answer: Mapped[str] = mapped_column(Text, default="")
    treatment_id: Mapped[str | None] = mapped_column(
        ForeignKey("treatment.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    last_reviewed: Mapped[date | None] = mapped_column(default=None)
    next_review_due: Mapped[date | None] = mapped_column(default=None, index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))

    treatment: Mapped["Treatment | None"] = relationship(back_populates="faqs", lazy="raise")
    tag_rows: Mapped[list["FaqTag"]] = relationship(
        cascade="all, delete-orphan", order_by="FaqTag.tag", lazy="raise"
    )

    @property
    def review_overdue(self) -> bool:
        return review_overdue(self.next_review_due)

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]


class FaqTag(Base):
    __tablename__ = "faq_tag"

    faq_id: Mapped[str] = mapped_column(ForeignKey("faq.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
