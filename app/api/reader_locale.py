"""Which locale a reader wants: `?locale=` first, then `Accept-Language`.

The result is an ordered preference list (RFC 4647 "lookup": `hi-IN` also
tries `hi`), cut where the default locale or `*` appears, because from there
on the item's own text is what the reader accepts. Each item is then served
in the first preferred locale it has a translation for, else in its own
(default-locale) text; see app/api/translation_overlay.py.
"""

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from app.http.negotiation import weighted
from app.text.language_tags import LOCALE_PATTERN, canonical, is_locale

_RANGE_RE = re.compile(r"^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$")
MAX_RANGES = 20


def parse_accept_language(header: str | None) -> list[str]:
    """Language ranges by descending q (ties keep header order); q=0 and junk dropped."""
    ranked: list[tuple[float, int, str]] = []
    for position, (tag, quality) in enumerate(weighted(header or "", limit=MAX_RANGES)):
        if tag and _RANGE_RE.match(tag) and quality > 0:
            ranked.append((-quality, position, tag if tag == "*" else canonical(tag)))
    return [tag for _, _, tag in sorted(ranked)]


def _truncations(tag: str) -> list[str]:
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


@dataclass(frozen=True)
class LocalePreference:
    """Locales to try before the item's own text, most preferred first."""

    wanted: tuple[str, ...]
    default: str

    @property
    def requested(self) -> str:
        """The locale the reader asked for first; the default when nothing else."""
        return self.wanted[0] if self.wanted else self.default


def preference(
    query_locale: str | None, accept_language: str | None, default: str
) -> LocalePreference:
    ranges = [canonical(query_locale)] if query_locale else parse_accept_language(accept_language)
    wanted: list[str] = []
    for tag in ranges:
        if tag == "*":
            break
        for candidate in _truncations(tag):
            if candidate == default:
                # `en-GB` before `hi`: English text satisfies the reader before Hindi would.
                return LocalePreference(tuple(wanted), default)
            if candidate not in wanted:
                wanted.append(candidate)
    return LocalePreference(tuple(wanted), default)


def preference_for(request: Request) -> LocalePreference:
    """The request's preference, negotiated once and kept on `request.state`."""
    cached = getattr(request.state, "locale_preference", None)
    if isinstance(cached, LocalePreference):
        return cached
    query_locale = request.query_params.get("locale")
    result = preference(
        query_locale if query_locale and is_locale(query_locale) else None,
        request.headers.get("accept-language"),
        request.app.state.settings.default_locale,
    )
    request.state.locale_preference = result
    return result


def locale_preference(
    request: Request,
    locale: Annotated[
        str | None,
        Query(
            max_length=35,
            pattern=LOCALE_PATTERN,
            description="Serve this locale (wins over `Accept-Language`); missing "
            "translations fall back to the default locale, field by field.",
            examples=["hi"],
        ),
    ] = None,
) -> LocalePreference:
    return preference_for(request)


LocaleDep = Annotated[LocalePreference, Depends(locale_preference)]
LOCALE_DEPENDENCY = Depends(locale_preference)
