"""Parsing Accept and Accept-Encoding with q-values (RFC 9110 §12.5).

Results are memoized on the raw header value: clients send a handful of
distinct values, so after warm-up a negotiation is one dict lookup.
"""

from functools import lru_cache

JSON = "application/json"
JSON_LD = "application/ld+json"
GZIP = "gzip"
IDENTITY = "identity"

_MEMO_LIMIT = 512
_coding_memo: dict[bytes, str] = {}


def weighted(header: str, *, limit: int | None = None) -> list[tuple[str, float]]:
    """Each `item;q=x` of a comma-separated header, in header order, with its q-value.

    The one q-value parser (RFC 9110 §12.4.2) for Accept, Accept-Encoding and
    Accept-Language. A malformed or out-of-range q counts as 0: not
    acceptable. Names keep their case; callers normalise what they compare.
    """
    items = [item for item in header.split(",") if item.strip()]
    result = []
    for item in items[:limit] if limit is not None else items:
        name, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        result.append((name, q))
    return result


def _parse(header: str) -> list[tuple[str, float]]:
    return [(name.lower(), q) for name, q in weighted(header)]


def _choose_coding(header: bytes) -> str:
    offers = dict(_parse(header.decode("latin-1")))
    star = offers.get("*")
    gzip_q = offers.get(GZIP, offers.get("x-gzip", star if star is not None else 0.0))
    identity_q = offers.get(IDENTITY, star if star is not None else 1.0)
    # Prefer gzip whenever it is acceptable and not ranked below identity.
    if gzip_q > 0 and gzip_q >= identity_q:
        return GZIP
    return IDENTITY if identity_q > 0 or gzip_q <= 0 else GZIP


def choose_coding(header: bytes) -> str:
    """The content-coding to send for this Accept-Encoding: gzip or identity.

    Identity is the fallback even when a client forbids it (`identity;q=0`)
    and offers nothing we have: an uncompressed body beats a 406 here.
    """
    coding = _coding_memo.get(header)
    if coding is None:
        coding = _choose_coding(header) if header else IDENTITY
        if len(_coding_memo) >= _MEMO_LIMIT:
            _coding_memo.clear()
        _coding_memo[header] = coding
    return coding


def _specificity(range_: str, media_type: str) -> int:
    """How well a media range matches a type: 2 exact, 1 `type/*`, 0 `*/*`, -1 none."""
    if range_ == media_type:
        return 2
    major = media_type.split("/", 1)[0]
    if range_ == f"{major}/*":
        return 1
    if range_ == "*/*":
        return 0
    return -1


@lru_cache(maxsize=_MEMO_LIMIT)
def choose_media_type(accept: str, supported: tuple[str, ...]) -> str | None:
    """The supported type the client ranks highest, or None when none is acceptable.

    Each type takes the q of the most specific range matching it; on equal q
    an explicitly named type beats one matched by a wildcard, then the order
    of `supported` (the route's default first) decides.
    """
    if not accept.strip():
        return supported[0]
    ranges = _parse(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, media_type in enumerate(supported):
        match = max(
            ((_specificity(range_, media_type), q) for range_, q in ranges),
            default=(-1, 0.0),
        )
        specificity, q = match
        if specificity < 0 or q <= 0:
            continue
        rank = (q, specificity, -position)
        if best is None or rank > best:
            best, chosen = rank, media_type
    return chosen
