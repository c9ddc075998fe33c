"""Building blocks for input schemas: strict, with named limits."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)

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


def _iso_text(value: Any) -> Any:
    """Only RFC 3339 / ISO 8601 text: Pydantic alone would also take a number
    (`0.5`) as seconds since 1970, which the contract does not offer."""
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        raise ValueError("expected an ISO 8601 date or RFC 3339 date-time, not a number")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("expected an ISO 8601 date or RFC 3339 date-time, not a number")
    return value


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

# Times are stored in UTC; one that has no UTC equivalent is a 4xx, not a 500.
# Inputs are strict (below); dates and times are the exception JSON needs:
# they arrive as text, and only as text.
UtcDateTime = Annotated[
    AwareDatetime, Strict(False), BeforeValidator(_iso_text), AfterValidator(_in_utc)
]
IsoDate = Annotated[date, Strict(False), BeforeValidator(_iso_text)]
# Published in the OpenAPI document: what `_no_control_chars` lets through.
_NO_NUL = {"pattern": "^[^\\u0000]*$"}
Text = Annotated[
    str, StringConstraints(max_length=100_000), AfterValidator(_no_control_chars),
    Field(json_schema_extra=_NO_NUL),
]  # fmt: skip
ShortText = Annotated[
    str, StringConstraints(min_length=1, max_length=300), AfterValidator(_no_control_chars),
    Field(json_schema_extra=_NO_NUL),
]  # fmt: skip
Markdown = Annotated[
    str, StringConstraints(max_length=100_000), AfterValidator(_no_control_chars),
    Field(description="Markdown; served as {markdown, html, text}.", json_schema_extra=_NO_NUL),
]  # fmt: skip
Telephone = Annotated[
    str, StringConstraints(max_length=60), AfterValidator(_no_control_chars),
    Field(json_schema_extra=_NO_NUL),
]  # fmt: skip
Url = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=r"^https?://[^\s\x00]+$"),
    Field(examples=["https://example.org/page"]),
]
Locale = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


class InputModel(BaseModel):
    """Base of every input: unknown and read-only fields are errors, not ignored."""

    # strict: `false` is not a position and `"yes"` is not a boolean; JSON's own
    # types are the contract's.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, strict=True)
