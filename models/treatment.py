"""Treatments, the central kind: their routes as child rows so they can be
filtered on; their conditions are a kind of their own (models.condition)."""

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin, JSONValue, ReviewedMixin, review_overdue
from models.links import (
    clinic_treatment,
    condition_treatment,
    doctor_treatment,
    media_treatment,
)

if TYPE_CHECKING:
    from models.administration_route import AdministrationRoute
    from models.clinic import Clinic
    from models.condition import Condition
    from models.doctor import Doctor
    from models.faq import Faq
    from models.media import Media
    from models.treatment_type import TreatmentType


class Treatment(ReviewedMixin, EditorialMixin, Base):
    """A treatment page, structured.

    Ordered prose (sections, schedule, follow-up, comparisons) is JSON so a
    translation can overlay it field by field; everything a client filters on
    (type, routes, conditions, doctors, clinics) is a real column or link row
    with an index.
    """

    __tablename__ = "treatment"
    # `sort=created_at` is the one list sort the mixin's columns leave unindexed.
    __table_args__ = (Index("ix_treatment_created_at", "created_at"),)

    title: Mapped[str] = mapped_column(String(300), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    type_id: Mapped[str | None] = mapped_column(
        ForeignKey("treatment_type.id", ondelete="RESTRICT"), index=True
    )
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue, default=list)
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSONValue, default=None)
    duration_factors: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    follow_up: Mapped[dict[str, Any] | None] = mapped_column(JSONValue, default=None)
    comparisons: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue, default=list)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue, default=list)
    source_url: Mapped[str | None] = mapped_column(String(2000))
    last_reviewed: Mapped[date | None] = mapped_column(default=None)
    next_review_due: Mapped[date | None] = mapped_column(default=None, index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))

    type: Mapped["TreatmentType | None"] = relationship(back_populates="treatments", lazy="raise")
    route_links: Mapped[list["TreatmentRoute"]] = relationship(
        back_populates="treatment",
        cascade="all, delete-orphan",
        order_by="TreatmentRoute.position",
        lazy="raise",
    )
    conditions: Mapped[list["Condition"]] = relationship(
        secondary=condition_treatment,
        back_populates="treatments",
        order_by="Condition.slug",
        lazy="raise",
    )
    faqs: Mapped[list["Faq"]] = relationship(
        back_populates="treatment", order_by="Faq.position", lazy="raise"
    )
    doctors: Mapped[list["Doctor"]] = relationship(
        secondary=doctor_treatment, back_populates="treatments", lazy="raise"
    )
    clinics: Mapped[list["Clinic"]] = relationship(
        secondary=clinic_treatment, back_populates="treatments", lazy="raise"
    )
    media: Mapped[list["Media"]] = relationship(
        secondary=media_treatment, back_populates="treatments", lazy="raise"
    )

    @property
    def administration_routes(self) -> list["TreatmentRoute"]:
        return self.route_links

    @property
    def review_overdue(self) -> bool:
        return review_overdue(self.next_review_due)


class TreatmentRoute(Base):
    """How one treatment uses one route, with notes that belong to the pair."""

    __tablename__ = "treatment_route"

    treatment_id: Mapped[str] = mapped_column(
        ForeignKey("treatment.id", ondelete="CASCADE"), primary_key=True
    )
    route_id: Mapped[str] = mapped_column(
        ForeignKey("administration_route.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")

    treatment: Mapped[Treatment] = relationship(back_populates="route_links", lazy="raise")
    route: Mapped["AdministrationRoute"] = relationship(
        back_populates="treatment_links", lazy="raise"
    )
