"""Compact references used when one resource embeds another."""

from pydantic import Field

from app.schemas.common import ReadModel


class Ref(ReadModel):
    """A compact reference to another resource: enough to name and link it."""

    id: str
    slug: str


class TreatmentTypeRef(Ref):
    """A treatment type, referenced from another resource."""

    name: str


class RouteRef(Ref):
    """An administration route, referenced from another resource."""

    name: str
    snomed_code: str | None


class TreatmentRef(Ref):
    """A treatment, referenced from another resource."""

    title: str


class DoctorRef(Ref):
    """A doctor, referenced from another resource."""

    name: str
    honorific: str


class ClinicRef(Ref):
    """A clinic, referenced from another resource."""

    name: str


class MediaRef(Ref):
    """A video or article, referenced from another resource."""

    title: str
    kind: str
    url: str | None


class FaqRef(Ref):
    """An FAQ, referenced from another resource, with its position."""

    question: str
    position: int


class ConditionRef(Ref):
    """A condition, referenced from another resource."""

    slug: str = Field(examples=["multiple-myeloma"])
    name: str
