"""The review hash (app/services/editorial/review.py) and its backfill (migration 0008).

The hash covers exactly the kind's reviewed fields, references by id; the
migration computes the same hash from the rows, so content reviewed before
the upgrade stays publishable and nothing else becomes so.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, update

from app import wiring
from app.cli.migrate import downgrade, upgrade
from app.config import Settings
from app.content.kinds import KINDS
from app.db import Database, make_engine
from app.services.editorial import direct_writes as content
from app.services.editorial import review, workflow
from app.services.editorial.writes import load
from models import AdministrationRoute, Faq, Translation, Treatment, TreatmentType
from models.base import utcnow
from tests.migrations.test_migrations import engine, fresh_url  # noqa: F401  (fixtures)

TREATMENT: dict[str, Any] = {
    "slug": "sample-therapy",
    "title": "Sample therapy (sample)",
    "summary": "Sample text.",
    "type": "sample-type",
    "administration_routes": [{"route": "sample-route", "notes": "Sample notes."}],
    "sections": [{"heading": "Sample", "body": "Sample body."}],
}


@pytest.fixture
def fresh_database(fresh_url: str) -> Iterator[Database]:  # noqa: F811
    upgrade(fresh_url)
    database = Database(make_engine(Settings(database_url=fresh_url, _env_file=None)))
    wiring.connect(database)
    yield database
    database.dispose()


def _make(database: Database) -> None:
    with database.transaction(write=True) as session:
        for path, body in (
            ("treatment-types", {"slug": "sample-type", "name": "Sample"}),
            ("administration-routes", {"slug": "sample-route", "name": "Sample"}),
            ("treatments", TREATMENT),
            ("faqs", {"slug": "sample-q", "question": "Q?", "answer": "A.",
                      "treatment": "sample-therapy"}),
            ("faqs", {"slug": "sample-unreviewed", "question": "Q2?", "answer": "A2."}),
        ):  # fmt: skip
            kind = KINDS[path]
            content.create(session, kind=kind, payload=kind.create_schema.model_validate(body))


def _review(database: Database, path: str, slug: str) -> None:
    kind = KINDS[path]
    with database.transaction(write=True) as session:
        item = load(
            session,
            kind=kind,
            item_id=session.scalar(select(kind.model.id).where(kind.model.slug == slug)),
        )
        today = utcnow().date()
        workflow.review(session, kind=kind, item=item, reviewed_by="Dr. Sample (sample)",
                        last_reviewed=today, next_review_due=today.replace(year=2999))  # fmt: skip


def _unreviewed(database: Database, path: str, slug: str) -> list[dict[str, str]]:
    kind = KINDS[path]
    with database.transaction() as session:
        item = load(
            session,
            kind=kind,
            item_id=session.scalar(select(kind.model.id).where(kind.model.slug == slug)),
        )
        return review.unreviewed(session, kind=kind, item=item)


def test_hash_ignores_key_order_and_unreviewed_fields(fresh_database: Database) -> None:
    kind = KINDS["faqs"]
    with fresh_database.transaction() as session:
        base = review.document_hash(session, kind=kind, doc={"question": "Q?", "answer": "A."})
        same = review.document_hash(
            session, kind=kind, doc={"answer": "A.", "question": "Q?", "tags": ["x"], "position": 4}
        )
        other = review.document_hash(session, kind=kind, doc={"question": "Q?", "answer": "A!"})
    assert base == same != other
    assert kind.reviewed_fields == ("question", "answer", "treatment")


def test_hash_takes_references_by_id_so_a_renamed_slug_keeps_the_review(
    fresh_database: Database,
) -> None:
    _make(fresh_database)
    _review(fresh_database, "treatments", "sample-therapy")
    with fresh_database.transaction(write=True) as session:
        session.execute(update(TreatmentType).values(slug="sample-type-renamed"))
        session.execute(update(AdministrationRoute).values(slug="sample-route-renamed"))

    assert _unreviewed(fresh_database, "treatments", "sample-therapy") == []


def test_migration_0008_backfills_the_hash_the_app_computes(
    fresh_url: str,  # noqa: F811
    fresh_database: Database,
) -> None:
    _make(fresh_database)
    for path, slug in (("treatments", "sample-therapy"), ("faqs", "sample-q")):
        _review(fresh_database, path, slug)
    with fresh_database.transaction(write=True) as session:
        faq_id = session.scalar(select(Faq.id).where(Faq.slug == "sample-q"))
        session.add(
            Translation(kind="faq", item_id=faq_id, locale="hi",
                        data={"answer": "नमूना (sample)"}, version=1)
        )  # fmt: skip
    with fresh_database.transaction() as session:
        before = [(t.slug, t.review_hash) for t in session.scalars(select(Treatment))] + [
            (f.slug, f.review_hash) for f in session.scalars(select(Faq).order_by(Faq.slug))
        ]
    assert all(h for slug, h in before if slug != "sample-unreviewed")

    downgrade(fresh_url, "0007")
    upgrade(fresh_url)

    with fresh_database.transaction() as session:
        after = [(t.slug, t.review_hash) for t in session.scalars(select(Treatment))] + [
            (f.slug, f.review_hash) for f in session.scalars(select(Faq).order_by(Faq.slug))
        ]
        hindi = session.scalars(select(Translation)).one()
        assert hindi.review_hash == review.translation_hash(KINDS["faqs"], data=hindi.data)
    assert after == before
    assert _unreviewed(fresh_database, "treatments", "sample-therapy") == []
    assert _unreviewed(fresh_database, "faqs", "sample-q") == []
    assert [p["field"] for p in _unreviewed(fresh_database, "faqs", "sample-unreviewed")] == [
        "review"
    ]
