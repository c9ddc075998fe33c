"""Compact references used when one resource embeds another."""

from pydantic import Field

from app.schemas.common import ReadModel


class Ref(ReadModel):
    id: str
    slug: str


class TreatmentTypeRef(Ref):
    name: str


class RouteRef(Ref):
    name: str
    snomed_code: str | None


class TreatmentRef(Ref):
    title: str


class DoctorRef(Ref):
    name: str
    honorific: str


class ClinicRef(Ref):
    name: str


class MediaRef(Ref):
    title: str
    kind: str
    url: str | None


class FaqRef(Ref):
    question: str
    position: int


class Condition(ReadModel):
    slug: str = Field(examples=["multiple-myeloma"])
    name: str
