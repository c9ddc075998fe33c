"""Administration routes (oral, intravenous, ...): a seeded taxonomy that
treatments link to, so clients can filter by route."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin

if TYPE_CHECKING:
    from models.treatment import TreatmentRoute


class AdministrationRoute(EditorialMixin, Base):
    """A route of administration, coded in SNOMED CT where a concept fits."""

    __tablename__ = "administration_route"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    snomed_code: Mapped[str | None] = mapped_column(String(20), index=True)
    snomed_display: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("administration_route.id", ondelete="RESTRICT"), index=True
    )

    parent: Mapped["AdministrationRoute | None"] = relationship(
        remote_side="AdministrationRoute.id", back_populates="children", lazy="raise"
    )
    children: Mapped[list["AdministrationRoute"]] = relationship(
        back_populates="parent", lazy="raise"
    )
    treatment_links: Mapped[list["TreatmentRoute"]] = relationship(
        back_populates="route", lazy="raise"
    )
