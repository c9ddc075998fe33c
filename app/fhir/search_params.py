"""The search parameters every FHIR type here shares: _id, _lastUpdated,
_count and the paging offset.

Dates follow FHIR's precision rule: a value names a range as wide as its
precision (`2026-03` is the whole month), and each prefix compares the
resource's instant with that range. A date or time without a zone is read
as UTC.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, not_

from app.errors import BadRequest

DEFAULT_COUNT = 20
MAX_COUNT = 100
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")

# What `_lastUpdated` accepts, as published in the OpenAPI document (no named
# groups, so JSON Schema's regex dialect reads it too; real calendar dates
# only, so a value it allows is never refused); `_DATE` splits it up.
_YEAR = "[1-8][0-9]{3}"  # 1000-8999: every bound of its range is a datetime
_LEAP = "(?:[1-8][0-9](?:0[48]|[2468][048]|[13579][26])|(?:1[26]|[2468][048]|[3579][26])00)"
_MONTH_DAY = (
    "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    "|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
)
LAST_UPDATED_PATTERN = (
    f"^(?:eq|ne|gt|lt|ge|le)?(?:{_YEAR}(?:-(?:0[1-9]|1[0-2]))?"
    f"|(?:{_YEAR}-{_MONTH_DAY}|{_LEAP}-02-29)"
    r"(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?)?)$"
)
_DATE = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@dataclass(frozen=True)
class DateFilter:
    """`prefix` compares against the half-open range [start, end)."""

    prefix: str
    start: datetime
    end: datetime

    def clause(self, column: Any) -> Any:
        """The filter as SQL on a timestamp column."""
        within = and_(column >= self.start, column < self.end)
        return {
            "eq": within,
            "ne": not_(within),
            "gt": column >= self.end,
            "lt": column < self.start,
            "ge": column >= self.start,
            "le": column < self.end,
        }[self.prefix]

    def matches(self, value: datetime) -> bool:
        """The same test in Python, for resources derived from several rows."""
        within = self.start <= value < self.end
        return {
            "eq": within,
            "ne": not within,
            "gt": value >= self.end,
            "lt": value < self.start,
            "ge": value >= self.start,
            "le": value < self.end,
        }[self.prefix]


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    return moment.replace(year=moment.year + index // 12, month=index % 12 + 1)


def parse_date_filter(raw: str) -> DateFilter:
    match = _DATE.match(raw) if re.fullmatch(LAST_UPDATED_PATTERN, raw) else None
    if match is None:
        raise _bad_date(raw, "expected [prefix]YYYY[-MM[-DD[Thh:mm[:ss[.fff]][Z|±hh:mm]]]]")
    parts = match.groupdict()
    prefix = parts["prefix"] or "eq"
    if prefix not in PREFIXES:
        raise _bad_date(raw, f"prefix {prefix!r} is not supported; use {', '.join(PREFIXES)}")
    zone = parts["zone"] or "Z"
    try:
        tz = UTC if zone == "Z" else datetime.strptime(zone.replace(":", ""), "%z").tzinfo
        fraction = (parts["fraction"] or "")[:6]
        start = datetime(
            int(parts["year"]),
            int(parts["month"] or 1),
            int(parts["day"] or 1),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int(fraction.ljust(6, "0")) if fraction else 0,
            tzinfo=tz,
        ).astimezone(UTC)
    except ValueError as exc:
        raise _bad_date(raw, str(exc)) from exc
    if parts["month"] is None:
        end = _add_months(start, 12)
    elif parts["day"] is None:
        end = _add_months(start, 1)
    elif parts["hour"] is None:
        end = start + timedelta(days=1)
    elif parts["second"] is None:
        end = start + timedelta(minutes=1)
    else:
        end = start + timedelta(microseconds=10 ** (6 - len(fraction)))
    return DateFilter(prefix, start, end)


def _bad_date(raw: str, why: str) -> BadRequest:
    hint = " (a '+' in a query string must be sent as %2B)" if " " in raw else ""
    return BadRequest(
        f"Invalid _lastUpdated value {raw!r}: {why}{hint}.",
        errors=[{"field": "_lastUpdated", "message": why}],
    )


def split_ids(raw: str | None) -> tuple[str, ...] | None:
    """FHIR's comma means OR: `_id=a,b` is either resource."""
    if raw is None:
        return None
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class SearchParams:
    ids: tuple[str, ...] | None
    last_updated: tuple[DateFilter, ...]
    count: int
    offset: int

    def id_clause(self, column: Any) -> Any:
        return column.in_(self.ids) if self.ids is not None else None

    def updated_clause(self, column: Any) -> Any:
        if not self.last_updated:
            return None
        return and_(*(f.clause(column) for f in self.last_updated))

    def where(self, id_column: Any, updated_column: Any) -> list[Any]:
        clauses = [self.id_clause(id_column), self.updated_clause(updated_column)]
        return [clause for clause in clauses if clause is not None]
