"""What the API reads and accepts for administration routes, kept apart from
the ORM so the wire shape can differ from the table."""

from typing import Annotated

from pydantic import Field, StringConstraints

from app.schemas.common import ResourceRead, RichTextField
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug
from app.schemas.refs import RouteRef, TreatmentRef


class AdministrationRouteRead(ResourceRead):
    """An administration route as listed, with its place in the hierarchy."""

    name: str
    description: RichTextField
    snomed_code: str | None = Field(
        description="SNOMED CT route-of-administration concept id; null where none fits."
    )
    snomed_display: str | None
    parent: RouteRef | None
    children: list[RouteRef]


class AdministrationRouteDetail(AdministrationRouteRead):
    """An administration route with the treatments that use it."""

    treatments: list[TreatmentRef]


class AdministrationRouteCreate(InputModel):
    """A new administration route; its parent is named by slug."""

    slug: Slug
    name: ShortText
    description: Markdown = ""
    snomed_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6,18}$")] | None = None
    snomed_display: ShortText | None = None
    parent: Slug | None = None
    locale: Locale = "en"
