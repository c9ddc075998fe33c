"""A backup holds every column of every editorial table, whatever is added later.

The tables and columns are walked from `models.Base.metadata`, not listed:
every column of every table that is not deliberately left out (below, with
the reason) must hold a non-default value somewhere in the fixture, and must
come back the same after export -> wipe -> import. A new column that the
export forgets fails here; one that the fixture does not fill fails here too,
so it cannot slip through by staying at its default.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import JSON, Column, Enum, Table, inspect, select, update
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.input_documents import document
from app.content.kinds import KINDS
from app.db import Database
from app.services.transfer.export import EXCLUDED, REVISION_STATE, TRANSLATION_STATE
from app.services.transfer.export_state import item_state_columns
from models import Base, Organization, Revision, Translation
from tests.conftest import empty_tables
from tests.support.factories import make
from tests.support.transfer import build_rich_content, export_bytes, import_bytes

# Tables a backup deliberately does not hold. A backup is the content and
# everything editors did to it; not this deployment's credentials, logs or
# caches, nor anything rebuilt from the content.
NOT_BACKED_UP = {
    "api_key": "credentials: a restored deployment creates its own keys",
    "audit_event": "what happened on this deployment; import writes its own entries",
    "change_log": "the sync feed's log, rebuilt from the content by import",
    "search_document": "the search index, rebuilt from the content by import",
    "webhook_endpoint": (
        "deployment configuration holding signing secrets; a restored copy "
        "(a staging database) must not start posting to production receivers"
    ),
    "webhook_delivery": "the outbox and delivery log of this deployment",
    "webhook_attempt": "the outbox and delivery log of this deployment",
    "rendered_document": "the response cache, refilled on demand",
    "rendered_document_tag": "the response cache, refilled on demand",
    "rendered_generation": "the response cache's purge counter",
}
# Columns of backed-up tables that do not round-trip, on purpose.
NOT_COMPARED = {
    ("revision", "api_key_id"): "points at an API key, which is not backed up",
    ("translation", "id"): "a surrogate key: import numbers the rows afresh",
}
EARLY = datetime(2031, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _sample(column: Column[Any], n: int) -> Any:
    """A non-default value of the column's type, for columns only the type constrains."""
    column_type = column.type
    if isinstance(column_type, JSON):
        return {"sample": n}
    if isinstance(column_type, Enum):
        return column_type.enums[-1]
    python_type = column_type.python_type
    samples: dict[type, Callable[[], Any]] = {
        datetime: lambda: EARLY + timedelta(days=n),
        date: lambda: date(2031, 1, 1) + timedelta(days=n),
        bool: lambda: not getattr(column.default, "arg", False),
        int: lambda: 40 + n,
        float: lambda: 4.5 + n,
        str: lambda: f"sample-{n}",
    }
    return samples[python_type]()


def _fill_state(session: Session, model: Any, columns: list[Column[Any]], where: Any) -> None:
    """Columns that only export's `state` carries: any value of their type round-trips."""
    if columns:
        values = {column.key: _sample(column, i) for i, column in enumerate(columns)}
        session.execute(update(model).where(where).values(**values))


def _stamp(session: Session, kind: Kind) -> None:
    """One item of the kind gets every piece of workflow state an item can hold."""
    model = kind.model
    item = session.scalars(select(model).order_by(model.id).options(*kind.load_options())).first()
    assert item is not None, f"the fixture has no {kind.name}"
    item.draft = {**document(session, kind, item), "locale": "de"}
    item.locale = "de"  # no translation in the fixture is German
    item.publish_at = EARLY
    item.unpublish_at = EARLY + timedelta(days=30)
    item.deleted_at = EARLY + timedelta(days=60)
    item.version += 7
    _fill_state(session, model, item_state_columns(kind), model.id == item.id)


def _fill(database: Database) -> None:
    build_rich_content(database)
    # What the seed leaves at defaults: optional fields, second list entries.
    make(
        database,
        "treatments",
        slug="sample-filled-treatment",
        title="Sample treatment",
        sources=[{"title": "Sample source", "url": "https://example.org/source"}],
        source_url="https://example.org/page",
    )
    make(
        database,
        "doctors",
        slug="sample-filled-doctor",
        name="Dr. Sample",
        specialties=["Sample oncology", "Sample haematology"],
        qualifications=["MD (sample)"],
        photo_url="https://example.org/photo.jpg",
        languages=["en", "hi"],
        treatments=["sample-filled-treatment"],
    )
    make(database, "conditions", slug="sample-filled-condition", name="Sample condition",
         summary="A sample condition.",
         codes=[{"system": "ICD-10", "code": "C00.0", "display": "Sample code"},
                {"system": "SNOMED-CT", "code": "100000", "display": "Sample concept"}],
         sources=[{"title": "Sample source", "url": "https://example.org/source"}],
         treatments=["sample-filled-treatment"], doctors=["sample-filled-doctor"],
         clinics=["myeloma-clinic"])  # fmt: skip
    make(database, "media", slug="sample-filled-media", title="Sample video", kind="video",
         description="A sample video about a sample treatment. It is short.",
         url="https://example.org/video", thumbnail_url="https://example.org/thumb.jpg",
         published_at=EARLY, doctors=["sample-filled-doctor"])  # fmt: skip
    with database.transaction(write=True) as session:
        for kind in KINDS.values():
            _stamp(session, kind)
        for path in ("treatments", "faqs", "conditions"):
            # Written directly: only the review action may set these.
            model = KINDS[path].model
            session.execute(
                update(model).values(
                    last_reviewed=date(2030, 5, 6), next_review_due=date(2031, 5, 6),
                    reviewed_by="Dr. Sample Reviewer (sample)",
                )
            )  # fmt: skip
        organization = session.scalars(select(Organization)).one()
        organization.is_placeholder = not organization.is_placeholder
        organization.url = "https://hospital.example"
        organization.logo_url = "https://hospital.example/logo.png"
        organization.telephone = "+91 00000 00000"
        organization.readability = {"attribution": 7.5}
        organization.readability_grade = 7.5
        session.execute(update(Translation).values(version=Translation.version + 2))
        _fill_state(session, Translation, TRANSLATION_STATE, Translation.id.is_not(None))
        _fill_state(session, Revision, REVISION_STATE, Revision.id.is_not(None))


def _backed_up() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def _compared(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if (table.name, c.key) not in NOT_COMPARED]


def _rows(session: Session, table: Table) -> list[tuple[Any, ...]]:
    columns = _compared(table)
    return sorted(
        (tuple(row) for row in session.execute(select(*columns))),
        key=lambda row: tuple(repr(value) for value in row),
    )


def _is_default(column: Column[Any], value: Any) -> bool:
    if value is None or value in ({}, [], ""):
        return True
    default = column.default
    if default is not None and not getattr(default, "is_callable", False):
        return bool(value == getattr(default, "arg", None))
    return False


@pytest.fixture
def filled(database: Database) -> Database:
    _fill(database)
    return database


def test_the_list_of_tables_left_out_is_complete_and_current() -> None:
    names = {table.name for table in Base.metadata.sorted_tables}

    assert set(NOT_BACKED_UP) <= names, "a table left out here no longer exists"
    assert set(EXCLUDED) <= set(NOT_BACKED_UP)  # the manifest names a subset, for readers
    assert {table for table, _column in NOT_COMPARED} <= names


def test_the_fixture_fills_every_column_of_every_backed_up_table(filled: Database) -> None:
    unfilled = []
    with filled.transaction() as session:
        for table in _backed_up():
            for column in _compared(table):
                values = session.scalars(select(column)).all()
                if all(_is_default(column, value) for value in values):
                    unfilled.append(f"{table.name}.{column.key}")

    assert unfilled == [], f"fill these in _fill, so the round trip checks them: {unfilled}"


def test_export_wipe_import_restores_every_table_row_for_row(filled: Database) -> None:
    with filled.transaction() as session:
        before = {table.name: _rows(session, table) for table in _backed_up()}
    exported = export_bytes(filled)
    empty_tables(filled)

    report = import_bytes(filled, exported)

    assert report.ok, report.rejected
    with filled.transaction() as session:
        after = {table.name: _rows(session, table) for table in _backed_up()}
    for name, rows in before.items():
        assert after[name] == rows, f"table {name} differs after export -> import"
    assert export_bytes(filled) == exported


def test_state_columns_are_walked_from_the_tables() -> None:
    """What `state` carries is whatever the document and envelope leave over."""
    for kind in KINDS.values():
        table = cast(Table, inspect(kind.model).local_table)
        state = {column.key for column in item_state_columns(kind)}
        assert state <= set(table.columns.keys())
        assert not state & {"id", "slug", "status", "version", "draft", "locale"}
