"""The organization that publishes the content: the publisher named in JSON-LD and FHIR output."""

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, EditorialMixin, JSONValue


class Organization(EditorialMixin, Base):
    """The hospital itself: one row per deployment, the publisher of everything."""

    __tablename__ = "organization"

    name: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    logo_url: Mapped[str | None] = mapped_column(String(2000))
    address: Mapped[dict[str, Any]] = mapped_column(JSONValue, default=dict)
    telephone: Mapped[str | None] = mapped_column(String(60))
    content_licence: Mapped[str] = mapped_column(Text, default="")
    attribution: Mapped[str] = mapped_column(Text, default="")
    is_placeholder: Mapped[bool] = mapped_column(default=True)
