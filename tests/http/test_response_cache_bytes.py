"""The response cache's byte bound counts what an entry really holds, tags included."""

from app.http.response_cache import Entry, ResponseCache, cache_key, entry_size


def _entry(body: bytes, tags: tuple[str, ...]) -> Entry:
    headers = [(b"content-type", b"application/json"), (b"etag", b'"x"')]
    return Entry(headers, body, b'"x"', frozenset({b'"x"'}), headers[:1], tags)


def _key(n: int) -> tuple[str, bytes, bytes, bytes, bytes, str, str]:
    return cache_key(f"/v1/faqs/{n}", b"", b"", b"", "gzip")


def test_tags_count_against_the_bound() -> None:
    """A page naming 100 FAQs costs far more than its body: its tag index."""
    few = entry_size(_entry(b"x" * 1000, ("faqs",)))
    many = entry_size(_entry(b"x" * 1000, tuple(f"faq:{i:036d}" for i in range(100))))

    assert many - few >= 99 * (40 + 200)


def test_eviction_keeps_the_counted_bytes_under_the_bound() -> None:
    tags = tuple(f"faq:{i:036d}" for i in range(50))
    size = entry_size(_entry(b"x" * 2000, tags))
    cache = ResponseCache(max_entries=1000, max_bytes=size * 3)
    for n in range(10):
        cache.put(_key(n), _entry(b"x" * 2000, tags), generation=cache.generation)

    assert len(cache) == 3
    assert cache.bytes == size * 3
    assert [cache.find(_key(n)) is not None for n in (6, 7, 8, 9)] == [False, True, True, True]
    cache.invalidate([tags[0]])
    assert (len(cache), cache.bytes) == (0, 0)
