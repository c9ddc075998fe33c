"""Pure helpers: Accept-Language, sync cursors and search query tokenizing."""

import pytest

from app.api.reader_locale import parse_accept_language, preference
from app.content.kinds import KINDS
from app.errors import BadRequest
from app.services.delivery.sync import decode_cursor, encode_cursor
from app.text.language_tags import canonical
from app.text.search_terms import fts5_query, query_groups, tokenize


def test_accept_language_orders_by_q_and_drops_zero_and_junk() -> None:
    header = "hi-in;q=0.9, ml, en;q=0.5, *;q=0.1, fr;q=0, bad!!, de;q=x, ta;q=2"

    assert parse_accept_language(header) == ["ml", "hi-IN", "en", "*"]
    assert parse_accept_language(None) == []


def test_preference_truncates_tags_and_stops_at_default_or_star() -> None:
    assert preference(None, "hi-IN, ml;q=0.5", "en").wanted == ("hi-IN", "hi", "ml")
    assert preference(None, "en-GB, hi", "en").wanted == ("en-GB",)
    assert preference(None, "*, hi", "en").wanted == ()
    assert preference("ml", "hi", "en").wanted == ("ml",)
    assert preference(None, None, "en").requested == "en"
    assert canonical("zh-hant-tw") == "zh-Hant-TW"


def test_cursor_round_trip_and_tampering() -> None:
    faqs = [KINDS["faqs"]]
    token = encode_cursor(42, kinds=faqs)

    assert decode_cursor(token, kinds=faqs) == 42
    assert decode_cursor(None, kinds=None) == 0
    assert "=" not in token
    for bad in [token[:-3], "%%%", token + "x", encode_cursor(42, kinds=None)]:
        with pytest.raises(BadRequest):
            decode_cursor(bad, kinds=faqs)


def test_query_tokens_never_carry_engine_syntax() -> None:
    assert tokenize('NEAR("a" b*) -c d:e f_g') == ["near", "a", "b", "c", "d", "e", "f", "g"]
    assert fts5_query(query_groups("how long is IV?")) == (
        '("long") AND ("iv" OR "intravenous" OR "intravenously" OR "into a vein")'
    )
    assert query_groups("the") == [(("the",),)]
    assert query_groups("***") == []
