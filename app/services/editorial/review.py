"""A clinical review means this exact text (issue 19).

A review records a hash of the fields it approved (`Kind.reviewed_fields`)
for the item's columns, its pending draft and each translation. A write that
changes a reviewed field clears that version's review; publishing, now or by
schedule, needs the hash of what it would publish to match, and a schedule
whose version lost its review is cancelled at once. The hash is SHA-256 of
canonical JSON with references by id (renaming a slug is not a change of
clinical text); migration 0008 computes the same hash for existing rows.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

import orjson
from pydantic_core import to_jsonable_python
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.field_mappings import SlugRef, SlugRefList
from app.content.input_documents import document
from app.errors import NotFound
from app.schemas.editorial import REVIEW_FIELDS
from app.services.change_hook import Action, Change, content_changed
from app.text.language_tags import canonical as canonical_locale
from models import AdministrationRoute, Translation
from models.base import EditorialMixin, ReviewedMixin, Status, utcnow

# Lists of objects whose entries reference another kind by slug.
NESTED_REFS: dict[str, tuple[str, type[EditorialMixin]]] = {
    "administration_routes": ("route", AdministrationRoute),
}


def digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(values, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _ids(session: Session, model: type[EditorialMixin], slugs: Sequence[str]) -> dict[str, str]:
    if not slugs:
        return {}
    rows = session.execute(select(model.slug, model.id).where(model.slug.in_(set(slugs))))
    return {slug: item_id for slug, item_id in rows}


def canonical(session: Session, *, kind: Kind, doc: dict[str, Any]) -> dict[str, Any]:
    """The reviewed fields of a document, references by id (an unknown slug stays as is)."""
    values: dict[str, Any] = {}
    for name in kind.reviewed_fields:
        value = doc.get(name)
        mapping = kind.fields.get(name)
        if isinstance(mapping, SlugRef) and value is not None:
            value = _ids(session, mapping.model, [value]).get(value, value)
        elif isinstance(mapping, SlugRefList) and value:
            found = _ids(session, mapping.model, value)
            value = sorted(found.get(slug, slug) for slug in value)
        elif name in NESTED_REFS and value:
            key, model = NESTED_REFS[name]
            found = _ids(session, model, [entry[key] for entry in value])
            value = [{**entry, key: found.get(entry[key], entry[key])} for entry in value]
        values[name] = value
    return values


def document_hash(session: Session, *, kind: Kind, doc: dict[str, Any]) -> str:
    return digest(canonical(session, kind=kind, doc=doc))


def columns_hash(session: Session, *, kind: Kind, item: EditorialMixin) -> str:
    return document_hash(session, kind=kind, doc=document(session, kind, item))


def translation_hash(kind: Kind, *, data: dict[str, Any] | None) -> str | None:
    """None when the translation holds no reviewed text (nothing to review)."""
    values = {k: v for k, v in (data or {}).items() if k in kind.reviewed_fields}
    return digest(values) if values else None


def _columns_review(item: EditorialMixin) -> dict[str, Any]:
    return {name: to_jsonable_python(getattr(item, name)) for name in REVIEW_FIELDS}


def settle_write(
    session: Session, *, kind: Kind, item: EditorialMixin, doc: dict[str, Any], into_draft: bool
) -> dict[str, Any]:
    """The document to store, with the review it still carries: the review of
    the version it replaces if the reviewed fields are unchanged, else none.

    The review metadata always comes from the server's record, never from the
    document (a restored revision carries the review of its own day).
    """
    assert isinstance(item, ReviewedMixin)
    if into_draft and item.draft is not None:
        recorded, source = item.draft_review_hash, dict(item.draft)
    else:
        recorded, source = item.review_hash, _columns_review(item)
    kept = recorded is not None and recorded == document_hash(session, kind=kind, doc=doc)
    review = {name: source.get(name) if kept else None for name in REVIEW_FIELDS}
    if into_draft:
        item.draft_review_hash = recorded if kept else None
    else:
        item.review_hash = recorded if kept else None
        item.draft_review_hash = None
    return {**doc, **review}


def settle_translation(
    kind: Kind, *, translation: Translation, new: dict[str, Any], into_draft: bool
) -> None:
    """Keep a locale's review only if its reviewed text is unchanged by the write."""
    if not kind.reviewed:
        return
    if into_draft:
        recorded = (
            translation.draft_review_hash
            if translation.draft is not None
            else translation.review_hash
        )
        translation.draft_review_hash = (
            recorded if translation_hash(kind, data=new) == recorded else None
        )
    else:
        recorded = translation.review_hash
        translation.review_hash = recorded if translation_hash(kind, data=new) == recorded else None


def _translations(session: Session, kind: Kind, item: EditorialMixin) -> list[Translation]:
    stmt = select(Translation).where(Translation.kind == kind.name, Translation.item_id == item.id)
    return list(session.scalars(stmt.order_by(Translation.locale)))


def unreviewed(session: Session, *, kind: Kind, item: EditorialMixin) -> list[dict[str, str]]:
    """What publishing the working copy would put live without a review of
    that exact text: problem `errors` entries, [] when everything is reviewed."""
    if not kind.reviewed:
        return []
    assert isinstance(item, ReviewedMixin)
    if item.draft is not None:
        recorded, doc = item.draft_review_hash, dict(item.draft)
    else:
        recorded, doc = item.review_hash, document(session, kind, item)
    problems = []
    if not doc.get("reviewed_by") or recorded != document_hash(session, kind=kind, doc=doc):
        problems.append(
            {"field": "review", "message": f"the {kind.label}'s text is not the reviewed version"}
        )
    for translation in _translations(session, kind, item):
        if translation.draft is not None:
            text, recorded = translation.draft, translation.draft_review_hash
        else:
            text, recorded = translation.data, translation.review_hash
        found = translation_hash(kind, data=text)
        if found is not None and found != recorded:
            problems.append(
                {
                    "field": "locale",
                    "message": f"{translation.locale}: the translation is not the reviewed version",
                }
            )
    return problems


def record(
    session: Session,
    *,
    kind: Kind,
    item: EditorialMixin,
    reviewed_by: str,
    last_reviewed: date,
    locale: str | None = None,
) -> None:
    """Record the hashes a review approves: the item's columns, its draft and
    every translation; with `locale`, that translation only."""
    assert isinstance(item, ReviewedMixin)
    translations = _translations(session, kind, item)
    if locale is None:
        item.review_hash = columns_hash(session, kind=kind, item=item)
        if item.draft is not None:
            item.draft_review_hash = document_hash(session, kind=kind, doc=dict(item.draft))
    else:
        wanted = canonical_locale(locale)
        translations = [t for t in translations if t.locale == wanted]
        if not translations:
            raise NotFound(f"This {kind.label} has no {wanted!r} translation to review.")
    for translation in translations:
        translation.review_hash = translation_hash(kind, data=translation.data)
        if translation.draft is not None:
            translation.draft_review_hash = translation_hash(kind, data=translation.draft)
        translation.reviewed_by, translation.last_reviewed = reviewed_by, last_reviewed
        translation.updated_at = utcnow()


def publishes_live(item: EditorialMixin) -> bool:
    """Whether the public already sees the item while its schedule waits."""
    now = utcnow()
    return item.draft is not None or item.publish_at is None or item.publish_at <= now


def cancel_schedule(session: Session, *, kind: Kind, item: EditorialMixin, reason: str) -> None:
    """Call off a scheduled publish: the item stays as it was (a live item keeps
    serving its published version and its draft; a waiting one goes back to
    draft), the reason shows on the editorial view, and the change is audited
    and sent to webhooks as `<kind>.schedule_cancelled`."""
    assert isinstance(item, ReviewedMixin)
    publish_at = item.publish_at
    if not publishes_live(item):
        item.status = Status.draft
        item.unpublish_at = None
    item.publish_at = None
    item.schedule_cancelled = {
        "at": utcnow().isoformat(),
        "publish_at": publish_at.isoformat() if publish_at else None,
        "reason": reason,
    }
    item.version += 1
    content_changed(session, change=Change(kind.name, item, Action.schedule_cancelled))


def enforce_schedule(session: Session, *, kind: Kind, item: EditorialMixin) -> bool:
    """Cancel the item's scheduled publish if what it would publish is unreviewed."""
    if (
        not kind.reviewed
        or item.publish_at is None
        or item.status != Status.published
        or item.deleted_at is not None
    ):
        return False
    problems = unreviewed(session, kind=kind, item=item)
    if not problems:
        return False
    reasons = "; ".join(p["message"] for p in problems)
    cancel_schedule(session, kind=kind, item=item, reason=f"not reviewed: {reasons}")
    return True
