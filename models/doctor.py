"""Doctors, with their specialties and languages as child rows so both can be filtered on."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin, JSONValue
from models.links import doctor_clinic, doctor_treatment, media_doctor

if TYPE_CHECKING:
    from models.clinic import Clinic
    from models.media import Media
    from models.treatment import Treatment


class Doctor(EditorialMixin, Base):
    """A clinician as the public sees them."""

    __tablename__ = "doctor"

    name: Mapped[str] = mapped_column(String(200), index=True)
    honorific: Mapped[str] = mapped_column(String(40), default="")
    qualifications: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    bio: Mapped[str] = mapped_column(Text, default="")
    photo_url: Mapped[str | None] = mapped_column(String(2000))

    specialty_rows: Mapped[list["DoctorSpecialty"]] = relationship(
        cascade="all, delete-orphan", order_by="DoctorSpecialty.position", lazy="raise"
    )
    language_rows: Mapped[list["DoctorLanguage"]] = relationship(
        cascade="all, delete-orphan", order_by="DoctorLanguage.position", lazy="raise"
    )
    clinics: Mapped[list["Clinic"]] = relationship(
        secondary=doctor_clinic, back_populates="doctors", lazy="raise"
    )
    treatments: Mapped[list["Treatment"]] = relationship(
        secondary=doctor_treatment, back_populates="doctors", lazy="raise"
    )
    media: Mapped[list["Media"]] = relationship(
        secondary=media_doctor, back_populates="doctors", lazy="raise"
    )

    @property
    def specialties(self) -> list[str]:
        return [row.specialty for row in self.specialty_rows]

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]


class DoctorSpecialty(Base):
    __tablename__ = "doctor_specialty"

    doctor_id: Mapped[str] = mapped_column(
        ForeignKey("doctor.id", ondelete="CASCADE"), primary_key=True
    )
    specialty: Mapped[str] = mapped_column(String(120), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class DoctorLanguage(Base):
    __tablename__ = "doctor_language"

    doctor_id: Mapped[str] = mapped_column(
        ForeignKey("doctor.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
