"""Our sentence count is textstat's, without importing NLTK into every worker."""

from pathlib import Path

import textstat
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.text.readability import sentence_count
from tests.services.transfer.test_seed import served_strings

PIECES = ["Immunotherapy", "is", "a", "don't", "it's", "'quoted'", "I.V.", "e.g.", "x",
          "\u2014", "2-3", "weeks", "...", "?", "!", ".", " ", "\n", "'", "\u2019", "caf\u00e9",
          "(sample)", ";"]  # fmt: skip
SEED = Path(__file__).resolve().parents[2] / "seed_data" / "immunotherapy.yaml"


def test_the_seed_texts_count_as_textstat_does() -> None:
    texts = served_strings(yaml.safe_load(SEED.read_text(encoding="utf-8")))
    assert len(texts) > 50
    for text in texts:
        assert sentence_count(text) == textstat.sentence_count(text), text
    assert sentence_count("") == textstat.sentence_count("") == 0


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join))
def test_any_text_counts_as_textstat_does(text: str) -> None:
    assert sentence_count(text) == textstat.sentence_count(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_counts_as_textstat_does(text: str) -> None:
    assert sentence_count(text) == textstat.sentence_count(text)
