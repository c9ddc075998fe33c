"""The content of synthetic items: deterministic, clearly marked, lorem ipsum.

Each function returns the raw input document for one item, exactly what a
client would POST, so `app.cli.generate` can validate it with the kind's Create
schema. Nothing here is a medical statement: names say "(synthetic)" and
prose is lorem ipsum.
"""

import random
from typing import Any

PREFIX = "synthetic-"
MARK = "(synthetic)"
WORDS = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "enim",
    "ad",
    "minim",
    "veniam",
    "quis",
    "nostrud",
    "exercitation",
    "ullamco",
    "laboris",
    "nisi",
    "aliquip",
    "ex",
    "ea",
    "commodo",
    "consequat",
    "duis",
    "aute",
    "irure",
    "in",
    "reprehenderit",
    "voluptate",
    "velit",
    "esse",
    "cillum",
    "fugiat",
    "nulla",
    "pariatur",
    "excepteur",
    "sint",
]
FREQUENCIES = ["daily", "weekly", "monthly", "cyclic"]
LANGUAGES = ["en", "hi", "ml", "ta", "fr"]


def slug(word: str, number: int) -> str:
    return f"{PREFIX}{word}-{number:06d}"


class Source(random.Random):
    """A seeded generator with a fixed pool of lorem sentences to draw prose from.

    Drawing whole sentences from a pool is ten times cheaper than drawing
    words, which matters at 100,000 FAQs, and is just as deterministic.
    """

    def __init__(self, seed: int, pool_size: int = 2_000) -> None:
        super().__init__(seed)
        self.sentences = [
            " ".join(self.choices(WORDS, k=self.randint(8, 14))).capitalize() + "."
            for _ in range(pool_size)
        ]

    def lorem(self, sentences: int) -> str:
        return " ".join(self.choices(self.sentences, k=sentences))


def treatment(rng: Source, number: int, *, types: list[str], routes: list[str]) -> dict[str, Any]:
    return {
        "slug": slug("treatment", number),
        "title": f"Synthetic treatment {number:06d} {MARK}",
        "summary": rng.lorem(2),
        "type": rng.choice(types) if types else None,
        "sections": [
            {"heading": f"Synthetic section {k} {MARK}", "body": rng.lorem(4)} for k in (1, 2, 3)
        ],
        "administration_routes": [
            {"route": route, "notes": rng.lorem(1)}
            for route in rng.sample(routes, k=min(2, len(routes)))
        ],
        "schedule": {"frequencies": sorted(rng.sample(FREQUENCIES, k=2)), "notes": rng.lorem(1)},
        "duration_factors": [f"Synthetic factor {k} {MARK}" for k in (1, 2)],
        "follow_up": {"summary": rng.lorem(2), "checks": [f"Synthetic check {MARK}"]},
    }


def clinic(rng: Source, number: int, *, treatments: list[str]) -> dict[str, Any]:
    return {
        "slug": slug("clinic", number),
        "name": f"Synthetic clinic {number:06d} {MARK}",
        "description": rng.lorem(2),
        "treatments": treatments,
    }


def doctor(
    rng: Source, number: int, *, clinics: list[str], treatments: list[str]
) -> dict[str, Any]:
    return {
        "slug": slug("doctor", number),
        "name": f"Synthetic Doctor {number:06d} {MARK}",
        "honorific": "Dr.",
        "specialties": [f"Synthetic specialty {rng.randint(1, 25)} {MARK}"],
        "qualifications": [f"Synthetic qualification {MARK}"],
        "bio": rng.lorem(3),
        "languages": ["en", *rng.sample(LANGUAGES[1:], k=1)],
        "clinics": [rng.choice(clinics)] if clinics else [],
        "treatments": rng.sample(treatments, k=min(rng.randint(1, 3), len(treatments))),
    }


def faq(rng: Source, number: int, *, treatment: str | None, position: int) -> dict[str, Any]:
    return {
        "slug": slug("faq", number),
        "question": f"Synthetic question {number:06d} {MARK}?",
        "answer": rng.lorem(3),
        "treatment": treatment,
        "position": position,
        "tags": ["synthetic", f"synthetic-tag-{rng.randint(1, 20)}"],
    }
