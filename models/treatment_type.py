"""Treatment types (chemotherapy, immunotherapy, ...): a seeded taxonomy that
groups treatments for filters and navigation."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin

if TYPE_CHECKING:
    from models.treatment import Treatment


class TreatmentType(EditorialMixin, Base):
    """A node of the treatment taxonomy; `parent` nests sub-types."""

    __tablename__ = "treatment_type"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("treatment_type.id", ondelete="RESTRICT"), index=True
    )

    parent: Mapped["TreatmentType | None"] = relationship(
        remote_side="TreatmentType.id", back_populates="children", lazy="raise"
    )
    children: Mapped[list["TreatmentType"]] = relationship(back_populates="parent", lazy="raise")
    treatments: Mapped[list["Treatment"]] = relationship(back_populates="type", lazy="raise")
