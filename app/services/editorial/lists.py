"""Editors' lists: every state, overdue reviews, and the hardest-to-read items."""

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.errors import BadRequest
from app.services.paging import ListParams, apply_sort, fixed_order
from models.base import EditorialMixin, Status, review_overdue, utcnow

LABEL_FIELDS = ("title", "name", "question")

ITEM_SORTS = ("updated_at", "created_at", "slug")
READABILITY_ORDER = "-readability_grade"


def _label(item: EditorialMixin) -> str:
    for name in LABEL_FIELDS:
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return item.slug


def summary(kind: Kind, *, item: EditorialMixin) -> dict[str, Any]:
    due = getattr(item, "next_review_due", None)
    return {
        "kind": kind.path,
        "id": item.id,
        "slug": item.slug,
        "label": _label(item),
        "status": str(item.status),
        "version": item.version,
        "updated_at": item.updated_at,
        "has_draft": item.draft is not None,
        "publish_at": item.publish_at,
        "review_overdue": review_overdue(due) if kind.reviewed else None,
        "next_review_due": due,
        "readability_grade": item.readability_grade,
    }


def _state(stmt: Select[Any], model: Any, status: str | None) -> Select[Any]:
    now = utcnow()
    if status == "deleted":
        return stmt.where(model.deleted_at.is_not(None))
    stmt = stmt.where(model.deleted_at.is_(None))
    if status == "scheduled":
        return stmt.where(model.status == Status.published, model.publish_at > now)
    if status == "published":
        return stmt.where(
            model.status == Status.published,
            model.publish_at.is_(None) | (model.publish_at <= now),
        )
    if status is not None:
        return stmt.where(model.status == Status(status))
    return stmt


def list_items(
    session: Session,
    *,
    kind: Kind,
    params: ListParams,
    status: str | None,
    review_overdue: bool | None,
) -> tuple[list[dict[str, Any]], int]:
    model: Any = kind.model
    stmt = _state(select(model), model, status)
    if review_overdue is not None:
        if not kind.reviewed:
            raise BadRequest(
                f"{kind.path} have no clinical review; review_overdue applies to "
                "treatments and faqs.",
                errors=[{"field": "review_overdue", "message": "not applicable to this kind"}],
            )
        today = utcnow().date()
        overdue = model.next_review_due.is_not(None) & (model.next_review_due < today)
        stmt = stmt.where(overdue if review_overdue else ~overdue)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    sortable = {name: getattr(model, name) for name in ITEM_SORTS}
    stmt = apply_sort(
        stmt, sort=params.sort, allowed=sortable, default=["-updated_at"], tiebreak=model.id
    )
    rows = session.scalars(stmt.limit(params.limit).offset(params.offset))
    return [summary(kind, item=item) for item in rows], int(total)


def hardest_to_read(
    session: Session, *, kinds: list[Kind], params: ListParams
) -> tuple[list[dict[str, Any]], int]:
    """Merge each kind's top items by grade; the index on the grade serves each query."""
    fixed_order(params.sort, order=READABILITY_ORDER)
    candidates: list[dict[str, Any]] = []
    total = 0
    for kind in kinds:
        model: Any = kind.model
        graded = select(model).where(
            model.deleted_at.is_(None), model.readability_grade.is_not(None)
        )
        total += session.scalar(select(func.count()).select_from(graded.subquery())) or 0
        top = graded.order_by(model.readability_grade.desc(), model.id)
        rows = session.scalars(top.limit(params.offset + params.limit))
        candidates.extend(summary(kind, item=item) for item in rows)
    candidates.sort(key=lambda entry: (-entry["readability_grade"], entry["kind"], entry["id"]))
    return candidates[params.offset : params.offset + params.limit], int(total)
