"""What the API reads and accepts for treatment types, kept apart from the ORM
so the wire shape can differ from the table."""

from app.schemas.common import ResourceRead, RichTextField
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug
from app.schemas.refs import TreatmentRef, TreatmentTypeRef


class TreatmentTypeRead(ResourceRead):
    """A treatment type as listed, with its place in the hierarchy."""

    name: str
    description: RichTextField
    parent: TreatmentTypeRef | None
    children: list[TreatmentTypeRef]


class TreatmentTypeDetail(TreatmentTypeRead):
    """A treatment type with its treatments."""

    treatments: list[TreatmentRef]


class TreatmentTypeCreate(InputModel):
    """A new treatment type; its parent is named by slug."""

    slug: Slug
    name: ShortText
    description: Markdown = ""
    parent: Slug | None = None
    locale: Locale = "en"
