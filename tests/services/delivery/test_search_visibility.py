"""Search shows exactly what the public reads show, under every visibility rule.

The search index is kept for published items by the change hook, but some
rules move with the clock and no change fires: a review falls overdue past
`REVIEW_GRACE_DAYS`, an `unpublish_at` passes before the promoter runs. The
detail and list reads hide such items through the public session; search must
hide them at the same moment. (Each test reads after the change only: the
response cache, not search, is what would serve an earlier read again.)
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from app import wiring
from app.config import Settings
from app.content.kinds import KINDS
from app.db import Database, make_engine
from tests.support.apps import SettingsApp
from tests.support.factories import make

GRACE_DAYS = 30


@pytest.fixture
def strict_client(settings: Settings, settings_app: SettingsApp) -> Iterator[TestClient]:
    """An app whose policy hides content overdue for review by more than 30 days."""
    strict = Database(make_engine(settings), review_grace_days=GRACE_DAYS)
    wiring.connect(strict)
    try:
        with TestClient(settings_app(database=strict)) as test_client:
            yield test_client
    finally:
        strict.dispose()


def _set(database: Database, path: str, slug: str, **values: object) -> None:
    """Written directly, as the clock would: no change hook, no re-indexing."""
    model = KINDS[path].model
    with database.transaction(write=True) as session:
        session.execute(update(model).where(model.slug == slug).values(**values))


def _seen(client: TestClient, path: str, slug: str, word: str) -> tuple[bool, bool, bool]:
    """(detail, list, search) visibility of one item."""
    detail = client.get(f"/v1/{path}/{slug}").status_code
    assert detail in (200, 404)
    listed = [
        item["slug"] for item in client.get(f"/v1/{path}", params={"limit": 100}).json()["data"]
    ]
    found = client.get("/v1/search", params={"q": word}).json()
    return detail == 200, slug in listed, slug in [hit["slug"] for hit in found["data"]]


@pytest.mark.parametrize("path", ["treatments", "faqs"])
def test_review_overdue_content_is_hidden_from_search_as_from_reads(
    strict_client: TestClient, database: Database, path: str
) -> None:
    today = datetime.now(UTC).date()
    fields = (
        {"title": "Quetzalcoatl sample treatment"}
        if path == "treatments"
        else {"question": "Quetzalcoatl sample question?", "answer": "A sample answer."}
    )
    for slug in ("sample-late", "sample-edge", "sample-never"):
        make(database, path, slug=slug, **fields)
    _set(database, path, "sample-late", next_review_due=today - timedelta(days=GRACE_DAYS + 1))
    _set(database, path, "sample-edge", next_review_due=today - timedelta(days=GRACE_DAYS))

    assert _seen(strict_client, path, "sample-late", "quetzalcoatl") == (False, False, False)
    assert _seen(strict_client, path, "sample-edge", "quetzalcoatl") == (True, True, True)
    assert _seen(strict_client, path, "sample-never", "quetzalcoatl") == (True, True, True)
    found = strict_client.get("/v1/search", params={"q": "quetzalcoatl"}).json()
    assert found["meta"]["total"] == 2  # the count agrees with the page


def test_without_a_grace_policy_overdue_content_stays_found(
    client: TestClient, database: Database
) -> None:
    make(database, "faqs", slug="sample-late", question="Quetzalcoatl late?", answer="x")
    _set(database, "faqs", "sample-late", next_review_due=date(2001, 1, 1))

    assert _seen(client, "faqs", "sample-late", "quetzalcoatl") == (True, True, True)


@pytest.mark.parametrize("path", ["faqs", "clinics"])
def test_an_expired_item_leaves_search_before_the_promoter_runs(
    client: TestClient, database: Database, path: str
) -> None:
    fields = (
        {"question": "Quetzalcoatl expiring?", "answer": "x"}
        if path == "faqs"
        else {"name": "Quetzalcoatl sample clinic"}
    )
    make(database, path, slug="sample-expiring", **fields)
    make(database, path, slug="sample-staying", **fields)
    _set(database, path, "sample-expiring", unpublish_at=datetime.now(UTC) - timedelta(seconds=1))

    assert _seen(client, path, "sample-expiring", "quetzalcoatl") == (False, False, False)
    assert _seen(client, path, "sample-staying", "quetzalcoatl") == (True, True, True)
