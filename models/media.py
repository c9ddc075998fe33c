"""Videos and articles about treatments, doctors and clinics, linked rather
than embedded so one piece can serve many pages."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin
from models.links import media_clinic, media_doctor, media_treatment

if TYPE_CHECKING:
    from models.clinic import Clinic
    from models.doctor import Doctor
    from models.treatment import Treatment


class MediaKind(enum.StrEnum):
    video = "video"
    article = "article"


class Media(EditorialMixin, Base):
    """A video or article; `published_at` is when the piece itself came out."""

    __tablename__ = "media"

    title: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[MediaKind] = mapped_column(
        Enum(MediaKind, native_enum=False, length=16, validate_strings=True), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    thumbnail_url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(default=None)

    treatments: Mapped[list["Treatment"]] = relationship(
        secondary=media_treatment, back_populates="media", lazy="raise"
    )
    doctors: Mapped[list["Doctor"]] = relationship(
        secondary=media_doctor, back_populates="media", lazy="raise"
    )
    clinics: Mapped[list["Clinic"]] = relationship(
        secondary=media_clinic, back_populates="media", lazy="raise"
    )
