"""The shipped seed: idempotent, strict, and carrying every fact of the page.

The hospital page is read at test time from ../shared/seeds/ (beside the
repository; CI lays it there), so the seed is checked against the source, not
against a copy of it that could drift.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.db import Database
from app.errors import ValidationFailed
from app.services.transfer.seed import load_seed, read_seed_files
from models import Base

REPO_ROOT = Path(__file__).resolve().parents[3]
PAGE = REPO_ROOT.parent / "shared" / "seeds" / "immunotherapy-page.txt"
VIDEO_TITLE = (
    "Launch of the Myeloma Clinic - A Step Towards Fighting Blood Cancer - Dr. Ragesh Nair"
)
# Lines of the page that are headings or layout, not facts: the API names
# these sections in its own words (e.g. "How and why it is done").
PAGE_HEADINGS = {
    "Immunotherapy Immunotherapy",
    "How and Why it is done?",
    "Meet Our Doctors",
    "Frequently Asked Questions",
}


def normalize(text: str) -> str:
    """Whitespace collapsed; list bullets ("•", "-" standing alone) dropped."""
    text = re.sub(r"(?:^|(?<=\s))[•-](?=\s)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def served_strings(value: Any) -> list[str]:
    """Every string anywhere in a JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in served_strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in served_strings(item)]
    return []


def parse_page(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The page as (fact paragraphs before the FAQs, [(question, answer)])."""
    head, _, faq_part = text.partition("Frequently Asked Questions")
    paragraphs = [
        normalize(block)
        for block in re.split(r"\n\s*\n", head)
        if normalize(block) and normalize(block) not in PAGE_HEADINGS
    ]
    faqs: list[tuple[str, list[str]]] = []
    for line in faq_part.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith("?"):
            faqs.append((line, []))
        else:
            faqs[-1][1].append(line)
    return paragraphs, [(q, normalize("\n".join(a))) for q, a in faqs]


@pytest.fixture(scope="module")
def page() -> str:
    if not PAGE.is_file():
        pytest.skip(f"source page not found at {PAGE}: lay shared/ beside the repository")
    return PAGE.read_text(encoding="utf-8")


def state(database: Database) -> dict[str, Any]:
    """Row counts per table, and every editorial row's (id, version, updated_at)."""
    result: dict[str, Any] = {}
    with database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            count = session.execute(select(func.count()).select_from(table)).scalar_one()
            rows = None
            if {"id", "version", "updated_at"} <= set(table.c.keys()):
                query = select(table.c.id, table.c.version, table.c.updated_at).order_by(table.c.id)
                rows = [tuple(row) for row in session.execute(query)]
            result[table.name] = (count, rows)
    return result


def total_rows(database: Database) -> int:
    return sum(count for count, _ in state(database).values())


def test_loading_the_seed_twice_changes_nothing(database: Database) -> None:
    with database.transaction(write=True) as session:
        first = load_seed(session, documents=read_seed_files())
    before = state(database)

    with database.transaction(write=True) as session:
        second = load_seed(session, documents=read_seed_files())

    assert sum(first.created.values()) > 0
    assert second.created == {}
    assert second.skipped == first.created
    assert state(database) == before


def test_every_faq_of_the_page_is_served_word_for_word(
    page: str, client: TestClient, seeded: Database
) -> None:
    _, page_faqs = parse_page(page)
    assert len(page_faqs) == 3, "the page's FAQ section no longer parses as three Q&As"

    listed = client.get("/v1/treatments/immunotherapy/faqs")
    detail = client.get("/v1/treatments/immunotherapy")

    assert listed.status_code == 200
    assert detail.status_code == 200
    for served in (listed.json()["data"], detail.json()["data"]["faqs"]):
        assert [
            (normalize(faq["question"]), normalize(faq["answer"]["text"])) for faq in served
        ] == [(normalize(q), a) for q, a in page_faqs]
        assert [faq["position"] for faq in served] == [1, 2, 3]


def test_every_paragraph_of_the_page_is_served(
    page: str, client: TestClient, seeded: Database
) -> None:
    paragraphs, _ = parse_page(page)
    data = client.get("/v1/treatments/immunotherapy").json()["data"]
    served = [normalize(s) for s in served_strings(data)]

    missing = [p for p in paragraphs if not any(p in s for s in served)]

    assert missing == []


def test_the_pages_structured_facts_are_served(
    page: str, client: TestClient, seeded: Database
) -> None:
    _, page_faqs = parse_page(page)
    data = client.get("/v1/treatments/immunotherapy").json()["data"]

    routes = {
        use["route"]["slug"]: use["route"]["snomed_code"] for use in data["administration_routes"]
    }
    assert routes == {
        "intravenous": "47625008",
        "subcutaneous": "34206005",
        "intramuscular": "78421000",
        "intracavitary": "420254004",
    }
    assert data["schedule"]["frequencies"] == ["daily", "weekly", "monthly", "cyclic"]
    assert "rest period" in data["schedule"]["rest_periods"]["text"]
    bullets = [line.strip(" •") for line in page.splitlines() if line.strip().startswith("•")]
    assert data["duration_factors"] == bullets
    assert len(bullets) == 3
    assert [c.lower() for c in data["follow_up"]["checks"]] == [
        "physical exams",
        "blood tests",
        "imaging scans",
    ]
    for check in data["follow_up"]["checks"]:
        assert check.lower() in page.lower()
    [comparison] = data["comparisons"]
    assert comparison["compared_with"] == "Chemotherapy"
    assert normalize(comparison["summary"]["text"]) == page_faqs[2][1]
    assert [(d["honorific"], d["name"]) for d in data["doctors"]] == [("Dr.", "Ragesh Nair")]
    assert [c["name"] for c in data["clinics"]] == ["Myeloma Clinic"]
    assert [(m["kind"], m["title"]) for m in data["media"]] == [("video", VIDEO_TITLE)]
    assert VIDEO_TITLE in page


def test_a_seed_item_that_fails_validation_is_named_and_nothing_is_written(
    database: Database,
) -> None:
    documents = {
        "treatment-types": [{"slug": "sample-type", "name": "Sample type"}],
        "treatments": [{"slug": "sample-bad", "title": "Sample", "surprise": "field"}],
    }

    with pytest.raises(ValidationFailed) as caught, database.transaction(write=True) as session:
        load_seed(session, documents=documents)

    assert "treatments/sample-bad" in caught.value.detail
    assert "surprise" in caught.value.detail
    assert total_rows(database) == 0


def test_a_seed_item_naming_an_unknown_reference_is_rejected_and_nothing_is_written(
    database: Database,
) -> None:
    documents = {
        "treatment-types": [{"slug": "sample-type", "name": "Sample type"}],
        "treatments": [{"slug": "sample-bad", "title": "Sample", "type": "no-such-type"}],
    }

    with pytest.raises(ValidationFailed) as caught, database.transaction(write=True) as session:
        load_seed(session, documents=documents)

    assert "no-such-type" in caught.value.detail
    assert total_rows(database) == 0


def test_a_seed_file_with_an_unknown_section_is_refused(tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text("recipes:\n  - slug: soup\n", encoding="utf-8")

    with pytest.raises(ValidationFailed, match=r"extra\.yaml: unknown section 'recipes'"):
        read_seed_files(tmp_path)
