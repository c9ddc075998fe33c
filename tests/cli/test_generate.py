"""The synthetic-content generator: marked, linked to the seed, never touching it."""

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.cli import generate as generator
from app.config import get_settings
from app.db import Database
from app.errors import Conflict
from app.services import change_hook as changes
from models import Base, Clinic, Doctor, Faq, RenderedDocument, Treatment
from models.base import EditorialMixin

SMALL = generator.Spec(treatments=5, faqs=50, doctors=10, clinics=2, seed=7)
KIND_MODELS: list[type[EditorialMixin]] = [Treatment, Faq, Doctor, Clinic]
# The rendered-document store is a cache of public answers; a bulk write clears
# it on purpose (checked separately below), so it is not part of the snapshot.
STORE_TABLES = {"rendered_document", "rendered_document_tag", "rendered_generation"}


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that names no synthetic item, in a stable order."""
    synthetic_ids = {
        item_id
        for model in KIND_MODELS
        for item_id in session.scalars(select(model.id).where(model.slug.startswith("synthetic-")))
    }
    rows = {}
    for table in Base.metadata.sorted_tables:
        if table.name in STORE_TABLES:
            continue
        result = session.execute(select(table)).all()
        rows[table.name] = sorted(
            (
                tuple(row)
                for row in result
                if not any(isinstance(value, str) and value in synthetic_ids for value in row)
            ),
            key=repr,
        )
    return rows


def synthetic_counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(
            select(func.count()).select_from(model).where(model.slug.startswith("synthetic-"))
        )
        or 0
        for model in KIND_MODELS
    }


@pytest.fixture
def bulk_events(seeded: Database) -> Iterator[list[tuple[str, int, str]]]:
    events: list[tuple[str, int, str]] = []

    def record(
        session: Session, *, kind_name: str, ids: Sequence[str], action: changes.Action
    ) -> None:
        events.append((kind_name, len(ids), action.value))

    # Listen beside the real subscribers (search index, sync log, cache).
    disconnect = changes.hook_for(seeded.session_factories()).connect(bulk=[record])
    yield events
    disconnect()


def test_adds_marked_published_rows_linked_to_the_seed_taxonomy(
    client: TestClient, seeded: Database, bulk_events: list[tuple[str, int, str]]
) -> None:
    detail_before = client.get("/v1/treatments/immunotherapy").json()
    with seeded.transaction() as session:
        before = snapshot(session)

    report = generator.generate(seeded, SMALL)

    assert report.created == {"treatments": 5, "clinics": 2, "doctors": 10, "faqs": 50}
    with seeded.transaction() as session:
        assert synthetic_counts(session) == {"Treatment": 5, "Faq": 50, "Doctor": 10, "Clinic": 2}
        titles = session.scalars(select(Treatment.title).where(Treatment.slug.like("synthetic-%")))
        questions = session.scalars(select(Faq.question).where(Faq.slug.like("synthetic-%")))
        assert all("(synthetic)" in text for text in [*titles, *questions])
        assert snapshot(session) == before
        assert session.scalar(select(func.count()).select_from(RenderedDocument)) == 0
    assert client.get("/v1/treatments/immunotherapy").json() == detail_before
    assert sorted(bulk_events) == sorted(
        [("treatment", 5, "created"), ("clinic", 2, "created"), ("doctor", 10, "created"),
         ("faq", 50, "created")]
    )  # fmt: skip

    listed = client.get("/v1/treatments", params={"q": "synthetic", "limit": 100}).json()
    assert listed["meta"]["total"] == 5
    typed = {t["slug"] for t in listed["data"] if t["type"]}
    assert typed == {t["slug"] for t in listed["data"]}
    faqs = client.get("/v1/treatments/synthetic-treatment-000001/faqs").json()
    assert faqs["meta"]["total"] == 10


def test_same_seed_same_content_and_second_run_refused_unless_replace(
    seeded: Database, bulk_events: list[tuple[str, int, str]]
) -> None:
    generator.generate(seeded, SMALL)
    with seeded.transaction() as session:
        first = session.execute(select(Faq.id, Faq.answer).order_by(Faq.slug)).all()
        before = snapshot(session)

    with pytest.raises(Conflict, match="--replace"):
        generator.generate(seeded, SMALL)

    report = generator.generate(seeded, SMALL, replace=True)

    assert report.deleted == 67
    assert ("faq", 50, "deleted") in bulk_events
    with seeded.transaction() as session:
        assert session.execute(select(Faq.id, Faq.answer).order_by(Faq.slug)).all() == first
        assert synthetic_counts(session) == {"Treatment": 5, "Faq": 50, "Doctor": 10, "Clinic": 2}
        assert snapshot(session) == before


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_generates_then_refuses_with_one_line(seeded: Database, cli_env: None) -> None:
    runner = CliRunner()
    args = ["generate", "--treatments", "2", "--faqs", "6", "--doctors", "3"]

    first = runner.invoke(cli, args)
    second = runner.invoke(cli, args)

    assert first.exit_code == 0, first.output
    assert "generated 2 treatments, 1 clinics, 3 doctors, 6 faqs in" in first.output
    assert second.exit_code == 1
    assert "already exist; pass --replace" in second.output


def test_cli_refuses_a_production_database(
    seeded: Database, cli_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")

    result = CliRunner().invoke(cli, ["generate", "--treatments", "1", "--faqs", "0"])

    assert result.exit_code == 1
    assert "production" in result.output
    with seeded.transaction() as session:
        assert sum(synthetic_counts(session).values()) == 0


def test_planner_statistics_are_fresh_after_generation(seeded: Database) -> None:
    generator.generate(seeded, SMALL)

    with seeded.transaction() as session:
        if session.get_bind().dialect.name == "sqlite":
            query = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'faq'"
        else:
            query = (
                "SELECT count(*) FROM pg_stat_user_tables "
                "WHERE relname = 'faq' AND last_analyze IS NOT NULL"
            )
        assert (session.scalar(text(query)) or 0) >= 1
