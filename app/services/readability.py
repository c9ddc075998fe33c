"""Plain-language grades for the prose an editor writes.

The grade is Flesch-Kincaid, computed with textstat's word and sentence
counts. Syllables come from pyphen, textstat's own fallback: textstat's
English path loads NLTK's cmudict and downloads it on first use, which would
put a network call inside a write request (and fail offline).
"""

from functools import lru_cache
from typing import Any

import pyphen

from app.richtext import render_text

# Prose fields; titles, names and slugs are too short for a meaningful grade.
PROSE_KEYS = frozenset(
    {"summary", "body", "notes", "rest_periods", "answer", "question", "description", "bio"}
)
MIN_WORDS = 4


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
    # Imported here: textstat pulls in NLTK, a second of start-up for every CLI command.
    import textstat

    sentences = max(1, int(textstat.sentence_count(text)))
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
