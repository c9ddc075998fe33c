"""The generic reads a kind without a services module of its own relies on."""

import pytest

from app.content.kinds import KINDS
from app.db import Database
from app.errors import BadRequest, NotFound
from app.services import kind_reads
from app.services.paging import ListParams
from models import Status
from tests.support.factories import make

CLINICS = KINDS["clinics"]


def test_a_page_is_published_items_in_the_default_order(database: Database) -> None:
    make(database, "clinics", slug="b-clinic", name="Beta clinic")
    make(database, "clinics", slug="a-clinic", name="Alpha clinic")
    make(database, "clinics", slug="draft-clinic", name="Draft", status=Status.draft)
    params = ListParams(limit=1, offset=0, sort=None, fields=None)

    with database.transaction(public=True) as session:
        items, total = kind_reads.list_items(session, kind=CLINICS, params=params)
        assert ([item.slug for item in items], total) == (["a-clinic"], 2)
        by_slug = replace_sort(params, "-slug")
        items, _ = kind_reads.list_items(session, kind=CLINICS, params=by_slug)
        assert [item.slug for item in items] == ["b-clinic"]
        with pytest.raises(BadRequest, match="Cannot sort by 'bio'"):
            kind_reads.list_items(session, kind=CLINICS, params=replace_sort(params, "bio"))


def replace_sort(params: ListParams, sort: str) -> ListParams:
    return ListParams(limit=params.limit, offset=params.offset, sort=sort, fields=None)


def test_one_item_by_slug_or_a_404_naming_the_kind(database: Database) -> None:
    make(database, "clinics", slug="a-clinic", name="Alpha clinic")
    make(database, "clinics", slug="draft-clinic", name="Draft", status=Status.draft)

    with database.transaction(public=True) as session:
        assert kind_reads.get_item(session, kind=CLINICS, slug="a-clinic").name == "Alpha clinic"
        with pytest.raises(NotFound, match="No clinic with slug 'draft-clinic'"):
            kind_reads.get_item(session, kind=CLINICS, slug="draft-clinic")


def test_the_sort_keys_are_the_columns_the_model_has() -> None:
    assert list(kind_reads.sortable(KINDS["faqs"])) == ["slug", "created_at", "updated_at"]
    assert list(kind_reads.sortable(CLINICS)) == ["name", "slug", "created_at", "updated_at"]
