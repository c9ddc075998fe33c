"""What the API reads and accepts for conditions: a name, a summary, codes in
ICD-10, ICD-10-CM and SNOMED CT with the sources they were checked against,
and the treatments, doctors and clinics the condition links to."""

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from app.schemas.common import ReadModel, ResourceRead, RichTextField
from app.schemas.editorial import ReviewMetadata
from app.schemas.inputs import InputModel, Locale, Markdown, ShortText, Slug
from app.schemas.refs import ClinicRef, DoctorRef, TreatmentRef
from app.schemas.treatment import SourceInput, SourceRef

CodeSystem = Literal["ICD-10", "ICD-10-CM", "SNOMED-CT"]
# WHO ICD-10 and ICD-10-CM codes (a letter, two characters, then an optional
# subdivision), and SNOMED CT concept ids (6 to 18 digits).
CODE_PATTERNS = {
    "ICD-10": r"^[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?$",
    "ICD-10-CM": r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$",
    "SNOMED-CT": r"^[0-9]{6,18}$",
}


class ConditionCode(ReadModel):
    """A code for the condition in one code system."""

    system: CodeSystem = Field(description="The code system: ICD-10 (WHO), ICD-10-CM, SNOMED-CT.")
    code: str = Field(examples=["C90.0"])
    display: str = Field(description="The code system's own name for the code.")


class ConditionRead(ResourceRead):
    """A condition as listed, with its codes, sources and treatments."""

    name: str
    summary: RichTextField
    codes: list[ConditionCode]
    sources: list[SourceRef]
    treatments: list[TreatmentRef]
    last_reviewed: date | None
    next_review_due: date | None
    reviewed_by: str | None
    review_overdue: bool


class ConditionDetail(ConditionRead):
    """A condition with the doctors and clinics that deal with it."""

    doctors: list[DoctorRef]
    clinics: list[ClinicRef]


class ConditionCodeInput(InputModel):
    """A code for the condition; its form is checked against its system."""

    system: CodeSystem
    code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    display: ShortText

    @model_validator(mode="after")
    def _code_fits_system(self) -> "ConditionCodeInput":
        if not re.fullmatch(CODE_PATTERNS[self.system], self.code):
            raise ValueError(f"{self.code!r} is not a {self.system} code")
        return self


class ConditionCreate(InputModel):
    """A new condition; its treatments, doctors and clinics are named by slug."""

    slug: Slug
    name: ShortText
    summary: Markdown = ""
    codes: Annotated[list[ConditionCodeInput], Field(max_length=50)] = []
    sources: Annotated[list[SourceInput], Field(max_length=100)] = []
    treatments: Annotated[list[Slug], Field(max_length=500)] = []
    doctors: Annotated[list[Slug], Field(max_length=500)] = []
    clinics: Annotated[list[Slug], Field(max_length=500)] = []
    locale: Locale = "en"

    @model_validator(mode="after")
    def _one_code_per_system(self) -> "ConditionCreate":
        systems = [code.system for code in self.codes]
        if len(set(systems)) != len(systems):
            raise ValueError("codes: give at most one code per system")
        return self


class ConditionDocument(ReviewMetadata, ConditionCreate):
    """The stored document: what an editor writes plus the review metadata that
    only the review action sets (revisions, drafts and exports hold it)."""
