"""Strong entity tags and If-None-Match evaluation (RFC 9110 §8.8.3, §13.1.2).

The tag is a hash of the uncompressed body and its media type, so it is the
same on every worker and after restarts, and differs whenever the bytes do
(another locale, sparse fieldset or representation). A gzip body is another
representation and gets its own tag (`"<hash>-gzip"`), but If-None-Match
matches either coding: a client holding the identity copy of unchanged
content still gets its 304.
"""

import hashlib

GZIP_SUFFIX = b"-gzip"


def entity_hash(body: bytes, media_type: bytes) -> bytes:
    digest = hashlib.sha256(body)
    digest.update(b"\n")
    digest.update(media_type)
    return digest.hexdigest()[:32].encode("ascii")


def strong_etag(hash_: bytes, *, gzip: bool) -> bytes:
    return b'"' + hash_ + (GZIP_SUFFIX if gzip else b"") + b'"'


def _opaque(tag: bytes) -> bytes:
    """Weak comparison: drop `W/` and the coding suffix, keep the quoted value."""
    tag = tag.strip()
    if tag.startswith(b"W/"):
        tag = tag[2:]
    if tag.endswith(GZIP_SUFFIX + b'"'):
        tag = tag[: -len(GZIP_SUFFIX) - 1] + b'"'
    return tag


def match_set(etag: bytes) -> frozenset[bytes]:
    """Every exact If-None-Match value that matches `etag`: the one-comparison fast path."""
    base = _opaque(etag)
    gz = base[:-1] + GZIP_SUFFIX + b'"'
    return frozenset({base, gz, b"W/" + base, b"W/" + gz, b"*"})


def none_match(header: bytes, etag: bytes, exact: frozenset[bytes]) -> bool:
    """True when If-None-Match names this representation (or is `*`)."""
    if header in exact:
        return True
    if b"," not in header:
        return False
    wanted = _opaque(etag)
    return any(
        part.strip() == b"*" or _opaque(part) == wanted for part in header.split(b",") if part
    )
