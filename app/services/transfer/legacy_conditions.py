"""Importing files written before conditions were a kind (export versions 1 and 2).

There a treatment carried `conditions: [{slug, name}]` in its document, draft,
revision snapshots and translations. Import takes them out of the treatment
and, after the file's last line, imports one condition per slug as migration
0009 makes them: the commonest name, the id a seed gives the slug, linked to
each treatment whose document named it, published if one of those is, the
translated names as its translations. A treatment's review that matched its
reviewed fields with those conditions is kept (rehashed without them).
"""

import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.input_documents import document
from app.content.kinds import KINDS_BY_NAME
from app.db import Database
from app.schemas.export import ItemRecord
from app.services.editorial import review
from app.services.transfer.seed import SEED_NAMESPACE
from models import Translation
from models.base import ReviewedMixin

FIRST_VERSION_WITH_CONDITIONS = 3


def condition_id(slug: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, f"condition:{slug}"))


class LegacyConditions:
    """What the treatments of an old file said about conditions, gathered as they pass."""

    def __init__(self) -> None:
        self.names: dict[str, Counter[str]] = {}
        self.treatments: dict[str, set[str]] = {}
        self.live: set[str] = set()
        self.translated: dict[tuple[str, str], str] = {}
        # treatment id -> (conditions of the columns, of the draft, {locale: (data, draft)})
        self.reviews: dict[str, tuple[Any, Any, dict[str, tuple[Any, Any]]]] = {}

    def strip(self, record: ItemRecord) -> ItemRecord:
        """The treatment record without `conditions`, remembering them."""
        document = dict(record.document)
        entries = document.pop("conditions", None) or []
        draft = None if record.draft is None else dict(record.draft)
        draft_entries = None if draft is None else draft.pop("conditions", None)
        for entry in [*entries, *(draft_entries or [])]:
            self.names.setdefault(entry["slug"], Counter())[entry["name"]] += 0
        for entry in entries:
            self.names[entry["slug"]][entry["name"]] += 1
            self.treatments.setdefault(entry["slug"], set()).add(record.slug)
            if record.status == "published" and record.deleted_at is None:
                self.live.add(entry["slug"])
        texts: dict[str, tuple[Any, Any]] = {}
        translations = {}
        for locale, translation in record.translations.items():
            data, text_draft = dict(translation.data), translation.draft
            texts[locale] = (dict(data), None if text_draft is None else dict(text_draft))
            for i, text in enumerate(data.pop("conditions", None) or []):
                if isinstance(text, dict) and text.get("name") and i < len(entries):
                    self.translated.setdefault((entries[i]["slug"], locale), text["name"])
            if text_draft is not None:
                text_draft = {k: v for k, v in text_draft.items() if k != "conditions"}
            translations[locale] = translation.model_copy(
                update={"data": data, "draft": text_draft}
            )
        self.reviews[record.id] = (entries, draft_entries, texts)
        revisions = [
            r.model_copy(update={"snapshot": {k: v for k, v in r.snapshot.items()
                                              if k != "conditions"}})
            for r in record.revisions
        ]  # fmt: skip
        return record.model_copy(
            update={"document": document, "draft": draft, "translations": translations,
                    "revisions": revisions}
        )  # fmt: skip

    def lines(self) -> list[bytes]:
        """One export line per condition the file's treatments named."""
        now = datetime.now(UTC).isoformat()
        lines = []
        for slug, counts in sorted(self.names.items()):
            translations = {
                locale: {"data": {"name": name}, "version": 1, "created_at": now,
                         "updated_at": now}
                for (named, locale), name in sorted(self.translated.items())
                if named == slug and locale != "en"
            }  # fmt: skip
            record = {
                "type": "item", "kind": "condition", "id": condition_id(slug), "slug": slug,
                "status": "published" if slug in self.live else "draft", "version": 1,
                "created_at": now, "updated_at": now,
                "document": {"slug": slug, "name": counts.most_common(1)[0][0],
                             "treatments": sorted(self.treatments.get(slug, ()))},
                "translations": translations,
            }  # fmt: skip
            lines.append(orjson.dumps(record))
        return lines

    def keep_reviews(self, database: Database) -> None:
        """Move each review hash that matched with `conditions` to the form without them."""
        kind = KINDS_BY_NAME["treatment"]
        with database.transaction(write=True) as session:
            for item_id, (entries, draft_entries, texts) in self.reviews.items():
                item = session.get(kind.model, item_id)
                if not isinstance(item, ReviewedMixin):
                    continue
                columns = review.canonical(session, kind=kind, doc=document(session, kind, item))
                item.review_hash = _moved(item.review_hash, columns, entries)
                if item.draft is not None:
                    values = review.canonical(session, kind=kind, doc=dict(item.draft))
                    item.draft_review_hash = _moved(item.draft_review_hash, values, draft_entries)
                _keep_translation_reviews(session, item_id, texts)


def _moved(recorded: str | None, values: dict[str, Any], conditions: Any) -> str | None:
    """`recorded` in the new form if it was the hash of `values` with those conditions."""
    if recorded is not None and recorded == review.digest({**values, "conditions": conditions}):
        return review.digest(values)
    return recorded


def _keep_translation_reviews(
    session: Session, item_id: str, texts: dict[str, tuple[Any, Any]]
) -> None:
    kind = KINDS_BY_NAME["treatment"]
    fields = ("conditions", *kind.reviewed_fields)
    rows = session.scalars(
        select(Translation).where(Translation.kind == "treatment", Translation.item_id == item_id)
    )
    for row in rows:
        data, draft = texts.get(row.locale, (None, None))
        for column, old_text in (("review_hash", data), ("draft_review_hash", draft)):
            values = {k: v for k, v in (old_text or {}).items() if k in fields}
            recorded = getattr(row, column)
            if values and recorded == review.digest(values):
                new_text = row.data if column == "review_hash" else row.draft
                setattr(row, column, review.translation_hash(kind, data=new_text))
