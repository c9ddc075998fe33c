"""Keeping `search_document` in step with content, through the change hook.

Only publicly visible items (published, not deleted) have a document; any
other state removes it, so a draft can never be found. The engine's own index
follows the table by itself (FTS5 triggers on SQLite, a generated tsvector
column on PostgreSQL; see migration 0003). Text is the default locale's.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.db import publicly_visible
from app.kinds import KINDS_BY_NAME, Kind
from app.richtext import render_text
from app.services import changes
from models import (
    AdministrationRoute,
    DoctorSpecialty,
    FaqTag,
    SearchDocument,
    TreatmentCondition,
    TreatmentRoute,
    TreatmentType,
)
from models.base import EditorialMixin

TITLE_FIELDS = ("title", "question", "name")
# Text held in child rows (lazy="raise" relationships), read with one query
# each so indexing never depends on what the writer happened to load.
Extra = Callable[[Session, EditorialMixin], tuple[list[str], list[str]]]


def _treatment_extra(session: Session, item: EditorialMixin) -> tuple[list[str], list[str]]:
    routes = session.execute(
        select(AdministrationRoute.name, TreatmentRoute.notes)
        .join(TreatmentRoute, TreatmentRoute.route_id == AdministrationRoute.id)
        .where(TreatmentRoute.treatment_id == item.id)
        .order_by(TreatmentRoute.position)
    ).all()
    conditions = session.scalars(
        select(TreatmentCondition.name).where(TreatmentCondition.treatment_id == item.id)
    ).all()
    type_name = session.scalar(
        select(TreatmentType.name).where(TreatmentType.id == getattr(item, "type_id", None))
    )
    keywords = [name for name, _ in routes] + list(conditions) + [type_name or ""]
    return keywords, [notes for _, notes in routes]


def _faq_extra(session: Session, item: EditorialMixin) -> tuple[list[str], list[str]]:
    tags = session.scalars(select(FaqTag.tag).where(FaqTag.faq_id == item.id)).all()
    return [tag.replace("-", " ") for tag in tags], []


def _doctor_extra(session: Session, item: EditorialMixin) -> tuple[list[str], list[str]]:
    rows = session.scalars(
        select(DoctorSpecialty.specialty).where(DoctorSpecialty.doctor_id == item.id)
    )
    return list(rows), []


EXTRA: dict[str, Extra] = {
    "treatment": _treatment_extra,
    "faq": _faq_extra,
    "doctor": _doctor_extra,
}
ROW_BACKED = {"administration_routes", "conditions", "specialties"}


def _texts(value: Any, sub_keys: tuple[str, ...]) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for entry in value:
            yield from _texts(entry, sub_keys)
    elif isinstance(value, dict):
        for key in sub_keys:
            yield from _texts(value.get(key), ())


def _plain(parts: Iterable[str]) -> str:
    return "\n".join(render_text(part, "") for part in parts if part)


def document_text(session: Session, kind: Kind, item: EditorialMixin) -> tuple[str, str, str]:
    """(title, keywords, body) as plain text, from the kind's text fields."""
    title_field = next(name for name in TITLE_FIELDS if name in kind.text_fields)
    body_parts: list[str] = []
    for name, sub_keys in kind.text_fields.items():
        if name != title_field and name not in ROW_BACKED:
            body_parts.extend(_texts(getattr(item, name), sub_keys))
    keywords, extra_body = EXTRA[kind.name](session, item) if kind.name in EXTRA else ([], [])
    title = str(getattr(item, title_field))
    return title, " ".join(k for k in keywords if k), _plain([*body_parts, *extra_body])


@changes.subscribe
def index_change(session: Session, change: changes.Change) -> None:
    """Index a publicly visible item; remove the document of any other."""
    kind = KINDS_BY_NAME[change.kind]
    item = change.item
    document = session.scalars(
        select(SearchDocument).where(
            SearchDocument.kind == kind.name, SearchDocument.item_id == item.id
        )
    ).first()
    if not publicly_visible(item):
        if document is not None:
            session.delete(document)
            session.flush()
        return
    title, keywords, body = document_text(session, kind, item)
    if document is None:
        document = SearchDocument(kind=kind.name, item_id=item.id)
        session.add(document)
    document.slug, document.title, document.keywords, document.body = (
        item.slug,
        title,
        keywords,
        body,
    )
    session.flush()


def _bulk_keywords(session: Session, kind_name: str, ids: Sequence[str]) -> dict[str, list[str]]:
    """Child-row keywords for a whole batch in one query (FAQ tags, specialties)."""
    found: dict[str, list[str]] = {}
    if kind_name == "faq":
        rows = session.execute(select(FaqTag.faq_id, FaqTag.tag).where(FaqTag.faq_id.in_(ids)))
        for item_id, tag in rows:
            found.setdefault(item_id, []).append(tag.replace("-", " "))
    elif kind_name == "doctor":
        rows = session.execute(
            select(DoctorSpecialty.doctor_id, DoctorSpecialty.specialty).where(
                DoctorSpecialty.doctor_id.in_(ids)
            )
        )
        for item_id, specialty in rows:
            found.setdefault(item_id, []).append(specialty)
    return found


@changes.subscribe_bulk
def index_bulk(
    session: Session, kind_name: str, ids: Sequence[str], action: changes.Action
) -> None:
    """Bulk writes (the generator): index or drop a whole batch with set-based statements.

    Per-item extras are read for the batch at once; treatments (few, and
    with several kinds of child rows) still go through `document_text`.
    """
    session.execute(
        delete(SearchDocument).where(
            SearchDocument.kind == kind_name, SearchDocument.item_id.in_(ids)
        )
    )
    if action == changes.Action.deleted:
        return
    kind = KINDS_BY_NAME[kind_name]
    items = [
        item
        for item in session.scalars(select(kind.model).where(kind.model.id.in_(ids)))
        if publicly_visible(item)
    ]
    keywords = _bulk_keywords(session, kind_name, ids) if kind_name != "treatment" else {}
    rows = []
    for item in items:
        if kind_name == "treatment":
            title, words, body = document_text(session, kind, item)
        else:
            title_field = next(name for name in TITLE_FIELDS if name in kind.text_fields)
            parts = [
                text
                for name, sub_keys in kind.text_fields.items()
                if name != title_field and name not in ROW_BACKED
                for text in _texts(getattr(item, name), sub_keys)
            ]
            title, body = str(getattr(item, title_field)), _plain(parts)
            words = " ".join(keywords.get(item.id, []))
        rows.append(
            {"kind": kind_name, "item_id": item.id, "slug": item.slug, "title": title,
             "keywords": words, "body": body}
        )  # fmt: skip
    if rows:
        session.execute(insert(SearchDocument), rows)
