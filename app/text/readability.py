"""Plain-language grades for the prose an editor writes.

The grade is Flesch-Kincaid, with textstat's sentence count (`sentence_count`
below, pinned equal to textstat's by tests/text/test_readability_sentences.py).
Syllables come from pyphen, textstat's own fallback: textstat's English path
loads NLTK's cmudict and downloads it on first use, which would put a
network call inside a write request (and fail offline).
"""

import re
from functools import lru_cache
from typing import Any

import pyphen

from app.text.richtext import render_text

# Prose fields; titles, names and slugs are too short for a meaningful grade.
PROSE_KEYS = frozenset(
    {"summary", "body", "notes", "rest_periods", "answer", "question", "description", "bio"}
)
MIN_WORDS = 4

# textstat 0.7.13's count_sentences and the word count it uses, copied: importing
# textstat loads NLTK, which stayed in the memory of every worker that ever
# graded a text, one write being enough (figures: bench/README.md,
# "Measurements behind bounds in the code").
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
_LOOSE_APOSTROPHE = re.compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s\']")


def sentence_count(text: str) -> int:
    """Sentences in `text`, not counting those of two words or fewer (at least 1)."""
    if not text:
        return 0
    sentences = _SENTENCE.findall(text)
    short = sum(
        1
        for sentence in sentences
        if len(_PUNCTUATION.sub("", _LOOSE_APOSTROPHE.sub("", sentence)).split()) <= 2
    )
    return max(1, len(sentences) - short)


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def _syllables(word: str) -> int:
    return len(_hyphenator().positions(word.lower())) + 1


@lru_cache(maxsize=4096)
def grade(markdown: str) -> float | None:
    """Flesch-Kincaid grade of a Markdown text; None when it is too short to grade."""
    text = render_text(markdown, "").replace(" • ", ". ")
    words = [w.strip(".,;:!?()[]\"'\u2018\u2019\u201c\u201d") for w in text.split()]
    words = [w for w in words if w]
    if len(words) < MIN_WORDS:
        return None
    sentences = max(1, sentence_count(text))
    syllables = sum(_syllables(w) for w in words)
    score = 0.39 * (len(words) / sentences) + 11.8 * (syllables / len(words)) - 15.59
    return round(max(score, 0.0), 1)


def _walk(value: Any, path: str, out: dict[str, float]) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            child_path = f"{path}.{key}" if path else key
            if isinstance(child, str) and key in PROSE_KEYS:
                result = grade(child)
                if result is not None:
                    out[child_path] = result
            else:
                _walk(child, child_path, out)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _walk(child, f"{path}.{index}", out)


def grade_document(document: dict[str, Any]) -> dict[str, float]:
    """{field path: grade} for every prose field long enough to grade."""
    grades: dict[str, float] = {}
    _walk(document, "", grades)
    return grades


def warnings(grades: dict[str, Any] | None, target: float) -> list[dict[str, Any]]:
    return [
        {
            "field": path,
            "grade": value,
            "message": f"reads at grade {value}, above the target grade {target:g}; "
            "shorter sentences and everyday words help",
        }
        for path, value in sorted((grades or {}).items())
        if value > target
    ]
