"""What the API reads and accepts for FAQs, kept apart from the ORM so the wire
shape can differ from the table."""

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from app.schemas.common import ResourceRead, RichTextField
from app.schemas.editorial import ReviewMetadata
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug
from app.schemas.refs import TreatmentRef


class FaqRead(ResourceRead):
    """A frequently asked question with its answer and review state."""

    question: str
    answer: RichTextField
    treatment: TreatmentRef | None
    position: int
    tags: list[str]
    last_reviewed: date | None
    next_review_due: date | None
    reviewed_by: str | None
    review_overdue: bool


class FaqCreate(InputModel):
    """A new FAQ; its treatment is named by slug."""

    slug: Slug
    question: ShortText
    answer: Markdown
    treatment: Slug | None = None
    position: Annotated[int, Field(ge=0, le=100_000)] = 0
    tags: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,80}$")]], Field(max_length=50)
    ] = []
    locale: Locale = "en"


class FaqDocument(ReviewMetadata, FaqCreate):
    """The stored document: what an editor writes plus the review metadata that
    only the review action sets (revisions, drafts and exports hold it)."""
