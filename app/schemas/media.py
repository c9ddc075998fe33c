"""What the API reads and accepts for media, kept apart from the ORM so the
wire shape can differ from the table."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from app.schemas.common import ResourceRead, RichTextField
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug, Url, UtcDateTime
from app.schemas.refs import ClinicRef, DoctorRef, TreatmentRef


class MediaRead(ResourceRead):
    """A video or article with the resources it is about."""

    title: str
    kind: str
    description: RichTextField
    url: str | None
    thumbnail_url: str | None
    published_at: datetime | None
    treatments: list[TreatmentRef]
    doctors: list[DoctorRef]
    clinics: list[ClinicRef]


class MediaCreate(InputModel):
    """A new video or article; linked resources are named by slug."""

    slug: Slug
    title: ShortText
    kind: Literal["video", "article"]
    description: Markdown = ""
    url: Url | None = None
    thumbnail_url: Url | None = None
    published_at: UtcDateTime | None = None
    treatments: Annotated[list[Slug], Field(max_length=500)] = []
    doctors: Annotated[list[Slug], Field(max_length=500)] = []
    clinics: Annotated[list[Slug], Field(max_length=100)] = []
    locale: Locale = "en"
