"""treatment, faq, translation: the content hash a clinical review approved

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 13:45:00.000000

A review now records the hash of the text it approved (app/services/review.py),
and publishing needs that hash to match (issue 19). Backfill: content that is
reviewed today (`reviewed_by` set on the columns, or on the pending draft) is
treated as reviewed as it stands, and so are the translations of a reviewed
item; anything else needs a review before its next publish. The hash is
computed here from the rows with the same canonical form as the app (reviewed
fields, references by id, sorted-key JSON), without the ORM, so the migration
does not depend on later model changes. Downgrade drops the columns (the
hashes are lost; review metadata stays).
"""

import hashlib
from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONType = sa.JSON(none_as_null=True)
TREATMENT_FIELDS = (
    "title", "summary", "type", "sections", "administration_routes", "schedule",
    "duration_factors", "follow_up", "comparisons", "conditions", "sources",
)  # fmt: skip
FAQ_FIELDS = ("question", "answer", "treatment")
KIND_FIELDS = {"treatment": TREATMENT_FIELDS, "faq": FAQ_FIELDS}


def _digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(values, option=orjson.OPT_SORT_KEYS)).hexdigest()


def upgrade() -> None:
    for table in ("treatment", "faq"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("review_hash", sa.String(length=64), nullable=True))
            batch_op.add_column(
                sa.Column("draft_review_hash", sa.String(length=64), nullable=True)
            )
            batch_op.add_column(
                sa.Column(
                    "schedule_cancelled",
                    sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                    nullable=True,
                )
            )
    with op.batch_alter_table("translation") as batch_op:
        batch_op.add_column(sa.Column("review_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("draft_review_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("last_reviewed", sa.Date(), nullable=True))
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("translation") as batch_op:
        for name in ("last_reviewed", "reviewed_by", "draft_review_hash", "review_hash"):
            batch_op.drop_column(name)
    for table in ("faq", "treatment"):
        with op.batch_alter_table(table) as batch_op:
            for name in ("schedule_cancelled", "draft_review_hash", "review_hash"):
                batch_op.drop_column(name)


def _table(
    name: str, *columns: str, json: Sequence[str] = (), integer: Sequence[str] = ()
) -> sa.TableClause:
    def kind_of(column: str) -> Any:
        if column in json:
            return JSONType
        return sa.Integer() if column in integer else sa.String()

    return sa.table(name, *(sa.column(c, kind_of(c)) for c in columns))


def _slug_ids(conn: sa.Connection, table: str) -> dict[str, str]:
    rows = conn.execute(sa.select(_table(table, "id", "slug")))
    return {row.slug: row.id for row in rows}


def _backfill(conn: sa.Connection) -> None:
    types, routes = _slug_ids(conn, "treatment_type"), _slug_ids(conn, "administration_route")
    treatments = _slug_ids(conn, "treatment")
    reviewed: dict[str, set[str]] = {"treatment": set(), "faq": set()}

    route_rows: dict[str, list[Any]] = {}
    links = _table("treatment_route", "treatment_id", "route_id", "position", "notes")
    for row in conn.execute(sa.select(links).order_by(links.c.treatment_id, links.c.position)):
        route_rows.setdefault(row.treatment_id, []).append(
            {"route": row.route_id, "notes": row.notes}
        )
    condition_rows: dict[str, list[Any]] = {}
    conditions = _table("treatment_condition", "treatment_id", "slug", "name", "position")
    for row in conn.execute(
        sa.select(conditions).order_by(conditions.c.treatment_id, conditions.c.position)
    ):
        condition_rows.setdefault(row.treatment_id, []).append(
            {"slug": row.slug, "name": row.name}
        )

    def draft_values(kind: str, draft: dict[str, Any]) -> dict[str, Any]:
        values = {name: draft.get(name) for name in KIND_FIELDS[kind]}
        if kind == "treatment":
            values["type"] = types.get(values["type"], values["type"]) if values["type"] else None
            values["administration_routes"] = [
                {**entry, "route": routes.get(entry["route"], entry["route"])}
                for entry in values["administration_routes"] or []
            ]
        elif values["treatment"]:
            values["treatment"] = treatments.get(values["treatment"], values["treatment"])
        return values

    plain = ("sections", "schedule", "duration_factors", "follow_up", "comparisons", "sources")
    tables = {
        "treatment": _table(
            "treatment", "id", "reviewed_by", "draft", "title", "summary", "type_id", *plain,
            json=("draft", *plain),
        ),
        "faq": _table(
            "faq", "id", "reviewed_by", "draft", "question", "answer", "treatment_id",
            json=("draft",),
        ),
    }  # fmt: skip
    for kind, table in tables.items():
        for row in conn.execute(sa.select(table)):
            update: dict[str, Any] = {}
            if row.reviewed_by:
                if kind == "treatment":
                    values = {name: getattr(row, name) for name in ("title", "summary", *plain)}
                    values["type"] = row.type_id
                    values["administration_routes"] = route_rows.get(row.id, [])
                    values["conditions"] = condition_rows.get(row.id, [])
                else:
                    values = {
                        "question": row.question,
                        "answer": row.answer,
                        "treatment": row.treatment_id,
                    }
                update["review_hash"] = _digest(values)
            if row.draft is not None and row.draft.get("reviewed_by"):
                update["draft_review_hash"] = _digest(draft_values(kind, row.draft))
            if update:
                reviewed[kind].add(row.id)
                target = _table(kind, "id", *update)
                conn.execute(sa.update(target).where(target.c.id == row.id).values(**update))

    translation = _table(
        "translation", "id", "kind", "item_id", "data", "draft",
        json=("data", "draft"), integer=("id",),
    )  # fmt: skip
    for row in conn.execute(sa.select(translation)):
        if row.item_id not in reviewed.get(row.kind, set()):
            continue
        fields = KIND_FIELDS[row.kind]
        update = {}
        for column, text in (("review_hash", row.data), ("draft_review_hash", row.draft)):
            values = {k: v for k, v in (text or {}).items() if k in fields}
            if values:
                update[column] = _digest(values)
        if update:
            target = _table("translation", "id", *update, integer=("id",))
            conn.execute(sa.update(target).where(target.c.id == row.id).values(**update))
