"""The response cache's key: one entry per meaning, whatever the parameter order."""

from app.http import response_cache
from app.http.response_cache import cache_key


def _key(query: bytes) -> response_cache.CacheKey:
    return cache_key("/v1/treatments", query, b"", b"", "identity")


def test_parameter_order_does_not_matter_but_repeats_keep_theirs() -> None:
    assert _key(b"type=a&route=b&condition=c") == _key(b"condition=c&route=b&type=a")
    assert _key(b"a=1&a=2") != _key(b"a=2&a=1")
    assert _key(b"type=a") != _key(b"type=b")
    # A remembered normal form is the same answer the second time.
    assert _key(b"route=b&type=a")[1] == _key(b"route=b&type=a")[1] == b"route=b&type=a"


def test_the_remembered_forms_are_bounded() -> None:
    response_cache._normal_queries.clear()
    for i in range(response_cache._MAX_NORMAL_QUERIES + 10):
        _key(b"b=%d&a=1" % i)
    assert len(response_cache._normal_queries) <= response_cache._MAX_NORMAL_QUERIES
    long = b"b=" + b"x" * 600 + b"&a=1"
    assert _key(long)[1] == b"a=1&b=" + b"x" * 600
    assert long not in response_cache._normal_queries
