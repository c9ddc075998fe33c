"""The default FAQ list pages by treatment groups; every page must be exactly
the slice one sorted statement over the whole list would give."""

from fastapi.testclient import TestClient

from app.db import Database
from app.services.faq import SORTABLE, FaqFilters, _reading_order, filtered_query
from app.services.paging import ListParams, apply_sort, page
from models import Faq
from models.base import Status
from tests.support.factories import make


def _groups(database: Database) -> None:
    """Uneven groups: two treatments sharing a title, a draft treatment whose
    FAQs stay public, FAQs with no treatment, and a draft FAQ."""
    for slug, title, status in (
        ("t-b1", "Beta (sample)", Status.published),
        ("t-b2", "Beta (sample)", Status.published),
        ("t-a", "Alpha (sample)", Status.published),
        ("t-hidden", "Aardvark (sample)", Status.draft),
    ):
        make(database, "treatments", slug=slug, title=title, status=status)
    sizes = {"t-b1": 3, "t-b2": 1, "t-a": 5, "t-hidden": 2, None: 4}
    for treatment, size in sizes.items():
        for n in range(size):
            make(database, "faqs", slug=f"f-{treatment or 'none'}-{n}", treatment=treatment,
                 position=(n * 7) % 3, question=f"Sample {n}?", answer="Sample.")  # fmt: skip
    make(database, "faqs", slug="f-draft", treatment="t-a", question="Draft (sample)?",
         answer="Sample.", status=Status.draft)  # fmt: skip


def _one_statement(database: Database, filters: FaqFilters) -> list[str]:
    """The reference: the whole list in one sorted statement."""
    with database.transaction(public=True) as session:
        stmt = _reading_order(filtered_query(session, filters=filters))
        stmt = apply_sort(stmt, sort=None, allowed=SORTABLE, default=["position"], tiebreak=Faq.id)
        rows, _ = page(
            session, stmt=stmt, params=ListParams(limit=100, offset=0, sort=None, fields=None)
        )
        return [row.slug for row in rows]


def _window(client: TestClient, **params: object) -> tuple[list[str], int]:
    response = client.get("/v1/faqs", params=params)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    body = response.json()
    return [f["slug"] for f in body["data"]], body["meta"]["total"]


def test_every_window_matches_one_sorted_statement(client: TestClient, database: Database) -> None:
    _groups(database)
    whole = _one_statement(database, FaqFilters())
    assert len(whole) == 15 and "f-draft" not in whole
    assert {slug.rsplit("-", 1)[0] for slug in whole[:5]} == {"f-t-a"}  # Alpha first
    assert {slug.rsplit("-", 1)[0] for slug in whole[5:9]} == {"f-t-b1", "f-t-b2"}

    for limit in (1, 2, 3, 4, 7, 15, 20):
        for offset in range(17):
            assert _window(client, limit=limit, offset=offset) == (
                whole[offset : offset + limit],
                15,
            ), (limit, offset)


def test_filters_apply_to_the_groups_too(client: TestClient, database: Database) -> None:
    _groups(database)
    whole = _one_statement(database, FaqFilters(treatment="t-b1"))
    assert len(whole) == 3

    for offset in range(4):
        assert _window(client, treatment="t-b1", limit=2, offset=offset) == (
            whole[offset : offset + 2],
            3,
        )
