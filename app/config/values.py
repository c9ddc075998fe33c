"""Parsers and checks for single setting values (URLs, rates, networks).

Kept apart from the Settings class so each rule can be read and tested on its
own, and so the class stays the plain list of what an operator can set.
"""

import ipaddress
import re
from urllib.parse import urlsplit


def normalize_database_url(url: str) -> str:
    """Accept the URL forms operators paste (`postgres://`, `postgresql://`).

    SQLAlchemy would pick psycopg2 for a bare `postgresql://`, which we do not
    ship; psycopg 3 is the driver in the lock file.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


def parse_rate(value: str) -> tuple[int, int]:
    """`"600/minute"` -> (600, 60): requests allowed per window of that many seconds."""
    match = _RATE.match(value)
    if match is None or int(match.group(1)) < 1:
        raise ValueError(
            f"rate limit {value!r} must look like '600/minute' (per second|minute|hour|day)"
        )
    return int(match.group(1)), RATE_PERIODS[match.group(2)]


def is_loopback(url: str) -> bool:
    """localhost (and *.localhost), 127.0.0.0/8, ::1 and their IPv4-mapped forms."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def check_networks(value: list[str], *, problem: str) -> list[str]:
    """Every entry an IP address or CIDR; `problem` names the bad one (`{item!r}`)."""
    for item in value:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(problem.format(item=item)) from None
    return value


def check_public_base_url(value: str) -> str:
    """An absolute http(s) origin with an optional path prefix, without its trailing slash."""
    value = value.strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ValueError(f"PUBLIC_BASE_URL {value!r} is not a valid URL") from exc
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"PUBLIC_BASE_URL must be an absolute http(s) URL without user, query or "
            f"fragment, e.g. https://content.hospital.example; got {value!r}"
        )
    return value.rstrip("/")
