"""Keeping `search_document` in step with content, through the change hook.

Only publicly visible items (published, not deleted) have a document; any
other state removes it, so a draft can never be found. The engine's own index
follows the table by itself (FTS5 triggers on SQLite, a generated tsvector
column on PostgreSQL; see migration 0003). Text is the default locale's.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.kinds import KINDS_BY_NAME
from app.db import publicly_visible
from app.services import change_hook as changes
from app.text.richtext import render_text
from models import (
    AdministrationRoute,
    DoctorSpecialty,
    FaqTag,
    SearchDocument,
    TreatmentRoute,
    TreatmentType,
)
from models.base import EditorialMixin
from models.condition import Condition
from models.links import condition_treatment

SEARCH_DOCUMENT = cast(Table, SearchDocument.__table__)  # Core inserts for bulk writes
# Text held in child rows (lazy="raise" relationships), read with one query
# per batch of items so indexing never depends on what the writer happened to
# load, and a bulk import indexes thousands of items in a few queries.
Extras = dict[str, tuple[list[str], list[str]]]  # item id -> (keywords, body parts)
Extra = Callable[[Session, Sequence[EditorialMixin]], Extras]


def _treatment_extra(session: Session, items: Sequence[EditorialMixin]) -> Extras:
    ids = [item.id for item in items]
    found: Extras = {item_id: ([], []) for item_id in ids}
    routes = session.execute(
        select(TreatmentRoute.treatment_id, AdministrationRoute.name, TreatmentRoute.notes)
        .join(TreatmentRoute, TreatmentRoute.route_id == AdministrationRoute.id)
        .where(TreatmentRoute.treatment_id.in_(ids))
        .order_by(TreatmentRoute.treatment_id, TreatmentRoute.position)
    )
    for item_id, name, notes in routes:
        found[item_id][0].append(name)
        found[item_id][1].append(notes)
    conditions = session.execute(
        select(condition_treatment.c.treatment_id, Condition.name)
        .join(Condition, Condition.id == condition_treatment.c.condition_id)
        .where(condition_treatment.c.treatment_id.in_(ids))
        .order_by(condition_treatment.c.treatment_id, Condition.slug)
    )
    for item_id, name in conditions:
        found[item_id][0].append(name)
    type_ids = {getattr(item, "type_id", None) for item in items} - {None}
    type_names = dict(
        session.execute(
            select(TreatmentType.id, TreatmentType.name).where(TreatmentType.id.in_(type_ids))
        ).all()
    )
    for item in items:
        type_id = getattr(item, "type_id", None)
        found[item.id][0].append(type_names.get(type_id, "") if type_id else "")
    return found


def _faq_extra(session: Session, items: Sequence[EditorialMixin]) -> Extras:
    found: Extras = {item.id: ([], []) for item in items}
    rows = session.execute(
        select(FaqTag.faq_id, FaqTag.tag)
        .where(FaqTag.faq_id.in_(list(found)))
        .order_by(FaqTag.faq_id, FaqTag.tag)
    )
    for item_id, tag in rows:
        found[item_id][0].append(tag.replace("-", " "))
    return found


def _doctor_extra(session: Session, items: Sequence[EditorialMixin]) -> Extras:
    found: Extras = {item.id: ([], []) for item in items}
    rows = session.execute(
        select(DoctorSpecialty.doctor_id, DoctorSpecialty.specialty).where(
            DoctorSpecialty.doctor_id.in_(list(found))
        )
    )
    for item_id, specialty in rows:
        found[item_id][0].append(specialty)
    return found


# Keyword builders by the name a registry entry gives in `search.extra`.
EXTRA: dict[str, Extra] = {
    "treatment": _treatment_extra,
    "faq": _faq_extra,
    "doctor": _doctor_extra,
}


def extras_for(session: Session, *, kind: Kind, items: Sequence[EditorialMixin]) -> Extras:
    """The kind's child-row keywords; a builder its entry names but this table lacks fails."""
    name = kind.search.extra
    if name is None:
        return {}
    if name not in EXTRA:
        raise LookupError(f"kind {kind.path!r} names search extra {name!r}, which EXTRA lacks")
    return EXTRA[name](session, items)


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


def document_text(
    session: Session, *, kind: Kind, item: EditorialMixin, extras: Extras | None = None
) -> tuple[str, str, str]:
    """(title, keywords, body) as plain text, from the kind's text fields."""
    title_field = kind.search.title
    body_parts: list[str] = []
    for name, sub_keys in kind.text_fields.items():
        if name != title_field and name not in kind.search.from_rows:
            body_parts.extend(_texts(getattr(item, name), sub_keys))
    if extras is None:
        extras = extras_for(session, kind=kind, items=[item])
    keywords, extra_body = extras.get(item.id, ([], []))
    title = str(getattr(item, title_field))
    return title, " ".join(k for k in keywords if k), _plain([*body_parts, *extra_body])


def index_items(
    session: Session, *, kind: Kind, items: Sequence[EditorialMixin], replaced: Sequence[str]
) -> None:
    """Rebuild the documents of many items at once (bulk import); same rule as below.

    `replaced` names the items that existed before, the only ones that can
    have a document to remove.
    """
    if replaced:
        session.execute(
            delete(SEARCH_DOCUMENT).where(
                SEARCH_DOCUMENT.c.kind == kind.name, SEARCH_DOCUMENT.c.item_id.in_(replaced)
            )
        )
    visible = [item for item in items if publicly_visible(item)]
    if not visible:
        return
    extras = extras_for(session, kind=kind, items=visible)
    rows = []
    for item in visible:
        title, keywords, body = document_text(session, kind=kind, item=item, extras=extras)
        rows.append(
            {"kind": kind.name, "item_id": item.id, "slug": item.slug, "title": title,
             "keywords": keywords, "body": body}
        )  # fmt: skip
    session.execute(insert(SEARCH_DOCUMENT), rows)


def index_change(session: Session, *, change: changes.Change) -> None:
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
    title, keywords, body = document_text(session, kind=kind, item=item)
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


def index_bulk(
    session: Session, *, kind_name: str, ids: Sequence[str], action: changes.Action
) -> None:
    """Bulk writes (the generator): drop or rebuild a whole batch's documents at once."""
    kind = KINDS_BY_NAME[kind_name]
    if action == changes.Action.deleted:
        session.execute(
            delete(SEARCH_DOCUMENT).where(
                SEARCH_DOCUMENT.c.kind == kind.name, SEARCH_DOCUMENT.c.item_id.in_(ids)
            )
        )
        return
    items = list(session.scalars(select(kind.model).where(kind.model.id.in_(ids))))
    index_items(session, kind=kind, items=items, replaced=ids)
