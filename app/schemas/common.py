"""Shapes shared by every resource: rich text, the envelopes, base read fields."""

from datetime import datetime
from functools import cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WrapValidator

from app.text.richtext import render

T = TypeVar("T")


class RichText(BaseModel):
    """Authored as Markdown; served with sanitized, absolute-linked HTML and plain text."""

    markdown: str = Field(examples=["Immunotherapy is a treatment..."])
    html: str = Field(description="Allow-listed HTML; safe to embed as is.")
    text: str = Field(description="Plain text, for search snippets, voice and SMS.")


def _to_rich_text(value: Any, handler: Any, info: ValidationInfo) -> RichText:
    if isinstance(value, str):
        base_url = (info.context or {}).get("base_url", "")
        value = render(value, base_url)
    result: RichText = handler(value)
    return result


RichTextField = Annotated[RichText, WrapValidator(_to_rich_text)]


class ReadModel(BaseModel):
    """Base of every read shape: built from ORM objects by attribute."""

    model_config = ConfigDict(from_attributes=True)


class ResourceRead(ReadModel):
    """Fields every editorial resource carries."""

    id: str
    slug: str
    locale: str
    available_locales: list[str] = Field(default_factory=lambda: ["en"])
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


class PageMeta(BaseModel):
    """Where a page sits in the whole list: total items, page size and offset."""

    total: int
    limit: int
    offset: int


class PageLinks(BaseModel):
    """Links to this page and its neighbours; null where there is none."""

    self: str
    next: str | None
    prev: str | None


class ListEnvelope(BaseModel, Generic[T]):
    """A page of items, with paging metadata and links."""

    data: list[T]
    meta: PageMeta
    links: PageLinks


class DetailEnvelope(BaseModel, Generic[T]):
    """One item in the `data` member."""

    data: T


def _stem(item: type[BaseModel]) -> str:
    return item.__name__.removesuffix("Read")


# Parametrized generics would be published as `ListEnvelope_TreatmentRead_`, which
# generated clients turn into odd type names; these concrete subclasses (one per item
# schema, hence the cache) give the contract `TreatmentPage`, `TreatmentDetailEnvelope`.
@cache
def page_model(item: type[BaseModel]) -> type[ListEnvelope[Any]]:
    """`ListEnvelope[item]` under the schema name `<Item>Page`."""
    name = f"{_stem(item)}Page"
    doc = f"A page of {item.__name__} items, with paging metadata and links."
    return type(name, (ListEnvelope[item],), {"__module__": __name__, "__doc__": doc})  # type: ignore[valid-type]


@cache
def envelope_model(item: type[BaseModel]) -> type[DetailEnvelope[Any]]:
    """`DetailEnvelope[item]` under the schema name `<Item>Envelope`."""
    name = f"{_stem(item)}Envelope"
    doc = f"One {item.__name__} in the `data` member."
    return type(name, (DetailEnvelope[item],), {"__module__": __name__, "__doc__": doc})  # type: ignore[valid-type]


class ProblemError(BaseModel):
    """One invalid input field and what is wrong with it."""

    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemError] | None = None
