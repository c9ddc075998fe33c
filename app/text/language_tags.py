"""Language tags (BCP 47) as this API accepts and stores them.

One pattern and one canonical casing for every place a locale arrives: a
`?locale=` parameter, a translation write, an import file. Equal tags then
compare equal (`en-gb` and `en-GB` are one locale).
"""

import re

LOCALE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
_LOCALE_RE = re.compile(LOCALE_PATTERN)


def canonical(tag: str) -> str:
    """BCP 47 casing: `hi`, `en-GB`, `zh-Hant-TW`, so equal tags compare equal."""
    first, *rest = tag.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 2 and part.isalpha():
            parts.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def is_locale(tag: str) -> bool:
    return bool(_LOCALE_RE.match(tag))
