"""Building blocks for input schemas: strict, with named limits."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=SLUG_PATTERN)]


def _no_control_chars(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL bytes are not allowed in text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+01:00 is year 0 in UTC
        raise ValueError("the time is out of range once converted to UTC") from exc


# Times are stored in UTC; one that has no UTC equivalent is a 4xx, not a 500.
UtcDateTime = Annotated[AwareDatetime, AfterValidator(_in_utc)]
Text = Annotated[str, StringConstraints(max_length=100_000), AfterValidator(_no_control_chars)]
ShortText = Annotated[
    str, StringConstraints(min_length=1, max_length=300), AfterValidator(_no_control_chars)
]
Markdown = Annotated[
    str, StringConstraints(max_length=100_000), AfterValidator(_no_control_chars),
    Field(description="Markdown; served as {markdown, html, text}."),
]  # fmt: skip
Telephone = Annotated[str, StringConstraints(max_length=60), AfterValidator(_no_control_chars)]
Url = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=r"^https?://[^\s]+$"),
    Field(examples=["https://example.org/page"]),
]
Locale = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


class InputModel(BaseModel):
    """Base of every input: unknown and read-only fields are errors, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)
