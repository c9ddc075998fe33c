"""What the API reads and accepts for treatments and their nested parts
(sections, schedules, sources, ...)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from app.schemas.common import ReadModel, ResourceRead, RichTextField
from app.schemas.doctor import DoctorRead
from app.schemas.editorial import ReviewMetadata
from app.schemas.faq import FaqRead
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug, Url
from app.schemas.refs import ClinicRef, ConditionRef, MediaRef, RouteRef, TreatmentTypeRef


class Section(ReadModel):
    """A titled section of a treatment's text."""

    heading: str
    body: RichTextField


class RouteUse(ReadModel):
    """One administration route as this treatment uses it."""

    route: RouteRef
    notes: RichTextField


class Schedule(ReadModel):
    """How often a treatment is given, and its rest periods."""

    frequencies: list[str] = Field(
        description="How often it may be given: daily, weekly, monthly, cyclic.",
        examples=[["daily", "weekly", "monthly", "cyclic"]],
    )
    rest_periods: RichTextField | None = None
    notes: RichTextField | None = None


class FollowUp(ReadModel):
    """What happens after a treatment, and the checks involved."""

    summary: RichTextField
    checks: list[str] = Field(examples=[["physical exams", "blood tests", "imaging scans"]])


class Comparison(ReadModel):
    """How a treatment compares with another option."""

    compared_with: str
    treatment_slug: str | None = None
    summary: RichTextField


class SourceRef(ReadModel):
    """A published source the treatment's content is based on."""

    title: str
    url: str


class TreatmentRead(ResourceRead):
    """A treatment as listed, with its nested parts resolved."""

    title: str
    summary: RichTextField
    type: TreatmentTypeRef | None
    sections: list[Section]
    administration_routes: list[RouteUse]
    schedule: Schedule | None
    duration_factors: list[str]
    follow_up: FollowUp | None
    comparisons: list[Comparison]
    conditions: list[ConditionRef]
    sources: list[SourceRef]
    source_url: str | None
    last_reviewed: date | None
    next_review_due: date | None
    reviewed_by: str | None
    review_overdue: bool


class TreatmentDetail(TreatmentRead):
    """A treatment with its FAQs, doctors, clinics and media."""

    faqs: list[FaqRead]
    doctors: list[DoctorRead]
    clinics: list[ClinicRef]
    media: list[MediaRef]


class SectionInput(InputModel):
    """A titled section of a treatment's text, in Markdown."""

    heading: ShortText
    body: Markdown


class RouteUseInput(InputModel):
    """An administration route this treatment uses, by slug."""

    route: Slug
    notes: Markdown = ""


class ScheduleInput(InputModel):
    """How often a treatment is given, and its rest periods."""

    frequencies: Annotated[
        list[Literal["daily", "weekly", "monthly", "cyclic", "other"]], Field(max_length=10)
    ]
    rest_periods: Markdown | None = None
    notes: Markdown | None = None


class FollowUpInput(InputModel):
    """What happens after a treatment, and the checks involved."""

    summary: Markdown
    checks: Annotated[list[ShortText], Field(max_length=50)] = []


class ComparisonInput(InputModel):
    """How a treatment compares with another option."""

    compared_with: ShortText
    treatment_slug: Slug | None = None
    summary: Markdown


class SourceInput(InputModel):
    """A published source the treatment's content is based on."""

    title: ShortText
    url: Url


class TreatmentCreate(InputModel):
    """A new treatment; linked resources are named by slug."""

    slug: Slug
    title: ShortText
    summary: Markdown = ""
    type: Slug | None = None
    sections: Annotated[list[SectionInput], Field(max_length=100)] = []
    administration_routes: Annotated[list[RouteUseInput], Field(max_length=50)] = []
    schedule: ScheduleInput | None = None
    duration_factors: Annotated[list[ShortText], Field(max_length=50)] = []
    follow_up: FollowUpInput | None = None
    comparisons: Annotated[list[ComparisonInput], Field(max_length=50)] = []
    sources: Annotated[list[SourceInput], Field(max_length=100)] = []
    source_url: Url | None = None
    locale: Locale = "en"


class TreatmentDocument(ReviewMetadata, TreatmentCreate):
    """The stored document: what an editor writes plus the review metadata that
    only the review action sets (revisions, drafts and exports hold it)."""
