"""What the API reads and accepts for doctors, kept apart from the ORM so the
wire shape can differ from the table."""

from typing import Annotated

from pydantic import Field, StringConstraints

from app.schemas.common import ResourceRead, RichTextField
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug, Url
from app.schemas.refs import ClinicRef, MediaRef, TreatmentRef


class DoctorRead(ResourceRead):
    """A doctor as listed, with their clinics and treatments."""

    name: str
    honorific: str
    specialties: list[str]
    qualifications: list[str]
    bio: RichTextField
    photo_url: str | None
    languages: list[str]
    clinics: list[ClinicRef]
    treatments: list[TreatmentRef]


class DoctorDetail(DoctorRead):
    """A doctor with their media."""

    media: list[MediaRef]


class DoctorCreate(InputModel):
    """A new doctor; clinics and treatments are named by slug."""

    slug: Slug
    name: ShortText
    honorific: Annotated[str, StringConstraints(max_length=40)] = ""
    specialties: Annotated[list[ShortText], Field(max_length=30)] = []
    qualifications: Annotated[list[ShortText], Field(max_length=30)] = []
    bio: Markdown = ""
    photo_url: Url | None = None
    languages: Annotated[list[Locale], Field(max_length=30)] = []
    clinics: Annotated[list[Slug], Field(max_length=100)] = []
    treatments: Annotated[list[Slug], Field(max_length=500)] = []
    locale: Locale = "en"
