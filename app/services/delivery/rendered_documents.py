"""Queries of the rendered-document store (models/rendered_document.py).

Consistency rests on one rule, kept by `purge`/`clear` on the writing side
and by `save` on the rendering side: a document is stored only if no purge
has committed, or is in flight, since before its render read any content.
Purges bump `rendered_generation` inside the content write's transaction;
`save` gives up if the generation moved since its render began.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.content.kinds import KINDS
from models import Faq, RenderedDocument, RenderedDocumentTag, RenderedGeneration, Treatment

GENERATION_ID = 1
_TAG_LENGTH = 200


def _upsert(session: Session, model: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def bump_generation(session: Session) -> None:
    """+1, creating the row if a wipe removed it (a missing row stores nothing)."""
    stmt = _upsert(session, RenderedGeneration).values(id=GENERATION_ID, value=1)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[RenderedGeneration.id],
            set_={"value": RenderedGeneration.value + 1},
        )
    )


def purge(session: Session, *, tags: Iterable[str]) -> None:
    """Delete every document carrying any of `tags` (their tag rows go by cascade)."""
    bump_generation(session)
    tagged = select(RenderedDocumentTag.key).where(RenderedDocumentTag.tag.in_(sorted(tags)))
    session.execute(delete(RenderedDocument).where(RenderedDocument.key.in_(tagged)))


def clear(session: Session) -> None:
    """Delete every document: bulk writes (import, generator) change too much to list."""
    bump_generation(session)
    session.execute(delete(RenderedDocumentTag))
    session.execute(delete(RenderedDocument))


def _next_midnight(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def next_boundary(session: Session, *, now: datetime, grace_days: int | None) -> datetime | None:
    """The first moment after `now` at which a render begun at `now` may differ.

    Conservative and global (one statement of indexed MIN lookups): the next
    `publish_at` or `unpublish_at` of any item, and the next UTC midnight at
    which some reviewed item's `review_overdue` flips or, with a review grace
    period, at which an overdue item drops out of public view.
    """
    parts: list[Select[Any]] = []
    for kind in KINDS.values():
        model: Any = kind.model
        parts.append(select(func.min(model.publish_at)).where(model.publish_at > now))
        parts.append(select(func.min(model.unpublish_at)).where(model.unpublish_at > now))
    today = now.date()
    # (a MIN over next_review_due, the days after that date on which output flips)
    reviewed: list[tuple[Select[Any], int]] = []
    for model in (Treatment, Faq):
        due = model.next_review_due
        reviewed.append((select(func.min(due)).where(due >= today), 0))
        if grace_days is not None:
            cutoff = today - timedelta(days=grace_days)
            reviewed.append((select(func.min(due)).where(due >= cutoff), grace_days))
    queries = parts + [query for query, _ in reviewed]
    row = session.execute(select(*(query.scalar_subquery() for query in queries))).one()
    times = [_aware(value) for value in row[: len(parts)] if value is not None]
    for value, (_, days) in zip(row[len(parts) :], reviewed, strict=True):
        if value is not None:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            times.append(_next_midnight(day + timedelta(days=days)))
    return min(times, default=None)


def _aware(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def save(
    session: Session,
    *,
    generation: int,
    key: str,
    values: dict[str, Any],
    tags: Iterable[str],
) -> bool:
    """Store one document unless the generation moved (see the module docstring)."""
    tags = sorted(set(tags))
    if any(len(tag) > _TAG_LENGTH for tag in tags):
        return False
    current = session.scalar(
        select(RenderedGeneration.value)
        .where(RenderedGeneration.id == GENERATION_ID)
        .with_for_update(read=True)
    )
    if current != generation:
        return False
    stmt = _upsert(session, RenderedDocument).values(key=key, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=[RenderedDocument.key],
                                               set_=values))  # fmt: skip
    session.execute(delete(RenderedDocumentTag).where(RenderedDocumentTag.key == key))
    if tags:
        session.execute(
            _upsert(session, RenderedDocumentTag).on_conflict_do_nothing(),
            [{"tag": tag, "key": key} for tag in tags],
        )
    return True


def prune(session: Session, *, keep: int) -> int:
    """Delete the oldest documents beyond `keep`; returns how many went.

    Takes the generation row's share lock first, as `save` does, so on
    PostgreSQL it queues behind a purge instead of deadlocking with it over
    the document rows both delete.
    """
    session.execute(
        select(RenderedGeneration.value)
        .where(RenderedGeneration.id == GENERATION_ID)
        .with_for_update(read=True)
    )
    count = session.scalar(select(func.count()).select_from(RenderedDocument)) or 0
    if count <= keep:
        return 0
    oldest = select(RenderedDocument.key).order_by(RenderedDocument.stored_at).limit(count - keep)
    result = session.execute(delete(RenderedDocument).where(RenderedDocument.key.in_(oldest)))
    return int(getattr(result, "rowcount", 0) or 0)


def generation_value(session: Session) -> int | None:
    return session.scalar(
        select(RenderedGeneration.value).where(RenderedGeneration.id == GENERATION_ID)
    )
