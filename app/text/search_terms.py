"""From a reader's query to search terms: tokens, stopwords and synonyms.

Queries are tokenized here, never handed to the engine's query syntax, so
quotes, `NEAR(`, `*`, `-` or `:` in `q` are just punctuation: only runs of
letters and digits survive, and each is quoted when the engine query is built.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SYNONYMS_FILE = Path(__file__).with_name("search_synonyms.yaml")
MAX_TOKENS = 12
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

# Dropped from queries (both engines alike) so "how long" means "long".
_STOPWORD_TEXT = """
a an and are as at be been but by can could do does did for from had has have how i if in into
is it its me my no not of on or our so than that the their them then there these they this to
was we were what when where which who whom why will with would you your
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

Phrase = tuple[str, ...]


def tokenize(text: str) -> list[str]:
    """Lower-cased runs of letters and digits; everything else separates them."""
    return [token.lower() for token in _TOKEN.findall(text)][:MAX_TOKENS]


@dataclass(frozen=True)
class Synonyms:
    groups: tuple[tuple[Phrase, ...], ...]

    def group_of(self, phrase: Phrase) -> tuple[Phrase, ...]:
        for group in self.groups:
            if phrase in group:
                return group
        return (phrase,)

    @property
    def longest(self) -> int:
        return max((len(p) for group in self.groups for p in group), default=1)


def load_synonyms(path: Path = SYNONYMS_FILE) -> Synonyms:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = []
    for raw in document.get("groups") or []:
        phrases = tuple(dict.fromkeys(tuple(tokenize(str(term))) for term in raw))
        groups.append(tuple(p for p in phrases if p))
    return Synonyms(tuple(g for g in groups if len(g) > 1))


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    return load_synonyms()


def query_groups(text: str, synonyms: Synonyms | None = None) -> list[tuple[Phrase, ...]]:
    """Each group must match (AND); any phrase in a group will do (OR).

    Synonym phrases are matched longest first ("under the skin"); stopwords
    are dropped unless nothing else is left.
    """
    synonyms = synonyms or default_synonyms()
    tokens = tokenize(text)
    groups: list[tuple[Phrase, ...]] = []
    i = 0
    while i < len(tokens):
        for size in range(min(synonyms.longest, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + size])
            group = synonyms.group_of(phrase)
            if len(group) > 1 or size == 1:
                groups.append(group)
                i += size
                break
    meaningful = [g for g in groups if len(g) > 1 or g[0][0] not in STOPWORDS]
    return meaningful or groups


def fts5_query(groups: list[tuple[Phrase, ...]]) -> str:
    """SQLite FTS5 MATCH text: every phrase quoted, so no token is ever syntax."""

    def quote(phrase: Phrase) -> str:
        return '"' + " ".join(phrase).replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quote(p) for p in group) + ")" for group in groups)
