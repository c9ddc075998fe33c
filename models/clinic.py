"""Clinics: where treatments are given and doctors work, the places a patient can be sent to."""

from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin
from models.links import clinic_treatment, doctor_clinic, media_clinic

if TYPE_CHECKING:
    from models.doctor import Doctor
    from models.media import Media
    from models.treatment import Treatment


class Clinic(EditorialMixin, Base):
    """A department or clinic of the hospital, such as the Myeloma Clinic."""

    __tablename__ = "clinic"

    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")

    doctors: Mapped[list["Doctor"]] = relationship(
        secondary=doctor_clinic, back_populates="clinics", lazy="raise"
    )
    treatments: Mapped[list["Treatment"]] = relationship(
        secondary=clinic_treatment, back_populates="clinics", lazy="raise"
    )
    media: Mapped[list["Media"]] = relationship(
        secondary=media_clinic, back_populates="clinics", lazy="raise"
    )
