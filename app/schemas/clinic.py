"""What the API reads and accepts for clinics, kept apart from the ORM so the
wire shape can differ from the table."""

from typing import Annotated

from pydantic import Field

from app.schemas.common import ResourceRead, RichTextField
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug
from app.schemas.refs import DoctorRef, MediaRef, TreatmentRef


class ClinicRead(ResourceRead):
    """A clinic as listed, with its doctors and treatments."""

    name: str
    description: RichTextField
    doctors: list[DoctorRef]
    treatments: list[TreatmentRef]


class ClinicDetail(ClinicRead):
    """A clinic with its media."""

    media: list[MediaRef]


class ClinicCreate(InputModel):
    """A new clinic; its treatments are named by slug."""

    slug: Slug
    name: ShortText
    description: Markdown = ""
    treatments: Annotated[list[Slug], Field(max_length=500)] = []
    locale: Locale = "en"
