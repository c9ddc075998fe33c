"""Publishing: publish now or at a time, unpublish, archive, clinical review,
and the promoter that carries out schedules when they fall due.

Visibility never waits for the promoter: app.db's public filter already
treats a scheduled item as hidden until `publish_at` and as gone after
`unpublish_at`. The promoter makes the stored state catch up (status, the
pending draft applied, a "published" change for the sync feed and webhooks).
"""

from datetime import date, datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.kinds import KINDS
from app.errors import Conflict, ValidationFailed
from app.services.change_hook import Action
from app.services.editorial import review as review_service
from app.services.editorial import translations as translation
from app.services.editorial.writes import apply_draft, bump, is_live, load
from app.text.language_tags import canonical
from models.base import EditorialMixin, ReviewedMixin, Status, utcnow


class ReviewRequired(Conflict):
    """Treatments and FAQs are published only after a recorded clinical review."""

    slug, title = "review-required", "Clinical review required"


def _check_review(session: Session, kind: Kind, item: EditorialMixin) -> None:
    """A review approves exact text: what would be published must be what was reviewed."""
    problems = review_service.unreviewed(session, kind=kind, item=item)
    if problems:
        raise ReviewRequired(
            f"This {kind.label} has no clinical review of its current text on record "
            f"({'; '.join(p['message'] for p in problems)}). Record one with "
            f"POST .../review (reviewed_by, next_review_due; ?locale= for one "
            f"translation), then publish.",
            errors=problems,
        )


def publish(
    session: Session,
    *,
    kind: Kind,
    item: EditorialMixin,
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
) -> EditorialMixin:
    """Publish the working copy now, or schedule it for `publish_at`."""
    now = utcnow()
    _check_review(session, kind, item)
    start = publish_at if publish_at is not None and publish_at > now else None
    if unpublish_at is not None and unpublish_at <= (start or now):
        raise ValidationFailed(
            "unpublish_at must be later than the publish time.",
            errors=[{"field": "unpublish_at", "message": "must be after publish_at and now"}],
        )
    live = is_live(item, now=now)
    pending = item.draft is not None or translation.has_pending(session, kind=kind, item=item)
    if isinstance(item, ReviewedMixin):
        item.schedule_cancelled = None
    if start is not None:
        if live and not pending:
            raise Conflict(
                f"This {kind.label} is already published and has no pending change to schedule."
            )
        item.status = Status.published
        item.publish_at = start
        item.unpublish_at = unpublish_at
        bump(session, kind=kind, item=item, action=Action.scheduled)
        return item
    if live and not pending and item.publish_at is None:
        if item.unpublish_at != unpublish_at:
            item.unpublish_at = unpublish_at
            bump(session, kind=kind, item=item, action=Action.scheduled)
        return item
    apply_draft(session, kind=kind, item=item)
    item.status = Status.published
    item.publish_at = None
    item.unpublish_at = unpublish_at
    bump(session, kind=kind, item=item, action=Action.published)
    return item


def _take_down(session: Session, kind: Kind, item: EditorialMixin, status: Status) -> None:
    # Off the public site there is nothing to keep serving, so the pending
    # draft becomes the columns and further edits go straight to them.
    apply_draft(session, kind=kind, item=item)
    item.status = status
    item.publish_at = None
    item.unpublish_at = None


def unpublish(session: Session, *, kind: Kind, item: EditorialMixin) -> EditorialMixin:
    """Back to draft: 404 to the public from now on."""
    if item.status != Status.published:
        return item
    _take_down(session, kind, item, Status.draft)
    bump(session, kind=kind, item=item, action=Action.unpublished)
    return item


def archive(session: Session, *, kind: Kind, item: EditorialMixin) -> EditorialMixin:
    """Retire the item; it stays in the editorial views and its history."""
    if item.status == Status.archived:
        return item
    _take_down(session, kind, item, Status.archived)
    bump(session, kind=kind, item=item, action=Action.archived)
    return item


def review(
    session: Session,
    *,
    kind: Kind,
    item: EditorialMixin,
    reviewed_by: str,
    last_reviewed: date,
    next_review_due: date,
    locale: str | None = None,
) -> EditorialMixin:
    """Record a clinical review; it attests the content, so it applies to the
    live columns and to the pending draft alike, without a re-publish, and it
    records the exact text it approved (app.services.editorial.review). With `locale`,
    it approves that translation only."""
    if next_review_due <= last_reviewed:
        raise ValidationFailed(
            "next_review_due must be after last_reviewed.",
            errors=[{"field": "next_review_due", "message": "must be after last_reviewed"}],
        )
    if locale is not None and canonical(locale) != canonical(item.locale):
        review_service.record(
            session,
            kind=kind,
            item=item,
            reviewed_by=reviewed_by,
            last_reviewed=last_reviewed,
            locale=locale,
        )
        bump(session, kind=kind, item=item, action=Action.reviewed)
        return item
    review_service.record(
        session, kind=kind, item=item, reviewed_by=reviewed_by, last_reviewed=last_reviewed
    )
    values = {
        "reviewed_by": reviewed_by,
        "last_reviewed": last_reviewed,
        "next_review_due": next_review_due,
    }
    for name, value in values.items():
        setattr(item, name, value)
    if item.draft is not None:
        item.draft = {**item.draft, **{k: str(v) for k, v in values.items()}}
    bump(session, kind=kind, item=item, action=Action.reviewed)
    return item


def default_next_review(last_reviewed: date, *, interval_days: int) -> date:
    return last_reviewed + timedelta(days=interval_days)


def _due(kind: Kind, now: datetime) -> object:
    model = kind.model
    return (
        (model.status == Status.published)
        & model.deleted_at.is_(None)
        & or_(model.publish_at <= now, model.unpublish_at <= now)
    )


def anything_due(session: Session, *, now: datetime) -> bool:
    """One cheap indexed query: is any schedule due anywhere?"""
    clauses = [exists().where(_due(kind, now)) for kind in KINDS.values()]  # type: ignore[arg-type]
    return bool(session.scalar(select(or_(*clauses))))


def promote_due(session: Session, *, now: datetime | None = None) -> int:
    """Carry out every due schedule; safe to run from several workers at once.

    SKIP LOCKED (PostgreSQL) lets each worker take rows nobody else holds;
    the due condition is re-checked on the locked row, so a schedule is
    carried out once. SQLite serializes writers, with the same effect.
    """
    now = now or utcnow()
    done = 0
    for kind in KINDS.values():
        stmt = (
            select(kind.model.id)
            .where(_due(kind, now))  # type: ignore[arg-type]
            .with_for_update(skip_locked=True)
        )
        for item_id in list(session.scalars(stmt)):
            item = load(session, kind=kind, item_id=item_id)
            if item.unpublish_at is not None and item.unpublish_at <= now:
                _take_down(session, kind, item, Status.draft)
                bump(session, kind=kind, item=item, action=Action.unpublished)
            elif not review_service.enforce_schedule(session, kind=kind, item=item):
                apply_draft(session, kind=kind, item=item)
                item.publish_at = None
                bump(session, kind=kind, item=item, action=Action.published)
            done += 1
    return done
