"""condition: conditions become a kind of their own, linked to treatments, doctors, clinics

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 18:40:00.000000

Before, a condition was a `{slug, name}` row owned by one treatment
(`treatment_condition`). Upgrade makes one `condition` per distinct slug (the
name most treatments gave it; the id a seed would give it), links it to every
treatment that named it, and publishes it if one of them is live: the public
saw it on that treatment. It is not reviewed (a review approves codes it has
not got yet), so its next edit needs one. A treatment's translated condition
names become the condition's translations. Treatment documents lose
`conditions` (drafts, revision snapshots, translations); a condition named
only by a draft is kept as a draft condition, unlinked. A review hash that
matched the reviewed fields before matches them again without `conditions`.
Published conditions enter the sync feed and the search index; rendered
responses are dropped, since a treatment's `conditions` entries gain an `id`.

Downgrade puts the links back as treatment rows (by slug, names from the
conditions) with their translated names; codes, summaries, sources, links to
doctors and clinics, and conditions no treatment names are lost.
"""

import hashlib
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONB = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NullableJSONB = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)
JSONType = sa.JSON(none_as_null=True)
# app.services.transfer.seed.SEED_NAMESPACE: a migrated condition gets the id
# the seed gives the same slug, so a later seed run finds it by slug and id.
SEED_NAMESPACE = uuid.UUID("5b6f1c52-6a8e-4c43-9d0c-2f1de0a8c001")
TREATMENT_COLUMNS = (
    "sections", "schedule", "duration_factors", "follow_up", "comparisons", "sources",
)  # fmt: skip
TREATMENT_FIELDS = ("title", "summary", "type", "administration_routes", *TREATMENT_COLUMNS)


def _link_table(name: str, left: str, right: str) -> None:
    op.create_table(
        name,
        sa.Column(f"{left}_id", sa.String(length=36), nullable=False),
        sa.Column(f"{right}_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            [f"{left}_id"], [f"{left}.id"],
            name=op.f(f"fk_{name}_{left}_id_{left}"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [f"{right}_id"], [f"{right}.id"],
            name=op.f(f"fk_{name}_{right}_id_{right}"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(f"{left}_id", f"{right}_id", name=op.f(f"pk_{name}")),
    )  # fmt: skip
    with op.batch_alter_table(name) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_{right}_id"), [f"{right}_id"], unique=False)


def _create_tables() -> None:
    op.create_table(
        "condition",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sources", JSONB, nullable=False),
        sa.Column("last_reviewed", sa.Date(), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("review_hash", sa.String(length=64), nullable=True),
        sa.Column("draft_review_hash", sa.String(length=64), nullable=True),
        sa.Column("schedule_cancelled", NullableJSONB, nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", "archived", name="status", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("draft", NullableJSONB, nullable=True),
        sa.Column("publish_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unpublish_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("readability", NullableJSONB, nullable=True),
        sa.Column("readability_grade", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_condition")),
        sa.UniqueConstraint("slug", name=op.f("uq_condition_slug")),
    )
    with op.batch_alter_table("condition") as batch_op:
        for column in (
            "name", "next_review_due", "publish_at", "readability_grade", "status",
            "unpublish_at", "updated_at",
        ):  # fmt: skip
            batch_op.create_index(batch_op.f(f"ix_condition_{column}"), [column], unique=False)
    op.create_table(
        "condition_code",
        sa.Column("condition_id", sa.String(length=36), nullable=False),
        sa.Column("system", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("display", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["condition_id"], ["condition.id"],
            name=op.f("fk_condition_code_condition_id_condition"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "condition_id", "system", "code", name=op.f("pk_condition_code")
        ),
    )  # fmt: skip
    with op.batch_alter_table("condition_code") as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_code_code"), ["code"], unique=False)
    _link_table("condition_treatment", "condition", "treatment")
    _link_table("condition_doctor", "condition", "doctor")
    _link_table("condition_clinic", "condition", "clinic")


def _table(
    name: str, *columns: str, json: Sequence[str] = (), integer: Sequence[str] = ()
) -> sa.TableClause:
    def kind_of(column: str) -> Any:
        if column in json:
            return JSONType
        if column in ("created_at", "updated_at"):
            return sa.DateTime(timezone=True)
        return sa.Integer() if column in integer else sa.String()

    return sa.table(name, *(sa.column(c, kind_of(c)) for c in columns))


def _digest(values: dict[str, Any]) -> str:
    """app.services.editorial.review.digest, as migration 0008 computes it."""
    return hashlib.sha256(orjson.dumps(values, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _slug_ids(conn: sa.Connection, table: str) -> dict[str, str]:
    return {row.slug: row.id for row in conn.execute(sa.select(_table(table, "id", "slug")))}


class _Hashes:
    """The treatment review hash before (with `conditions`) and after (without)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.types = _slug_ids(conn, "treatment_type")
        self.routes = _slug_ids(conn, "administration_route")
        self.route_rows: dict[str, list[Any]] = {}
        links = _table("treatment_route", "treatment_id", "route_id", "position", "notes")
        ordered = sa.select(links).order_by(links.c.treatment_id, links.c.position)
        for row in conn.execute(ordered):
            self.route_rows.setdefault(row.treatment_id, []).append(
                {"route": row.route_id, "notes": row.notes}
            )

    def of_columns(self, row: Any) -> dict[str, Any]:
        values = {name: getattr(row, name) for name in ("title", "summary", *TREATMENT_COLUMNS)}
        values["type"] = row.type_id
        values["administration_routes"] = self.route_rows.get(row.id, [])
        return values

    def of_draft(self, draft: dict[str, Any]) -> dict[str, Any]:
        values = {name: draft.get(name) for name in TREATMENT_FIELDS}
        values["type"] = self.types.get(values["type"], values["type"]) if values["type"] else None
        values["administration_routes"] = [
            {**entry, "route": self.routes.get(entry["route"], entry["route"])}
            for entry in values["administration_routes"] or []
        ]
        return values


def _rehash(recorded: str | None, before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """The hash to keep: `recorded` moved to the new form if it matched the old one."""
    if recorded is None or recorded != _digest(before):
        return recorded
    return _digest(after)


def _rehash_translation(recorded: str | None, before: dict[str, Any] | None,
                        after: dict[str, Any] | None) -> str | None:  # fmt: skip
    """The same for a translation, whose hash covers only the reviewed fields it holds."""
    reviewed = ("conditions", *TREATMENT_FIELDS)
    old = {k: v for k, v in (before or {}).items() if k in reviewed}
    if recorded is None or not old or recorded != _digest(old):
        return recorded
    new = {k: v for k, v in (after or {}).items() if k in reviewed}
    return _digest(new) if new else None


def _update(conn: sa.Connection, name: str, key: Any, values: dict[str, Any],
            json: Sequence[str] = (), integer: Sequence[str] = ()) -> None:  # fmt: skip
    target = _table(name, "id", *values, json=json, integer=integer)
    conn.execute(sa.update(target).where(target.c.id == key).values(**values))


def upgrade() -> None:
    _create_tables()
    conn = op.get_bind()
    now = datetime.now(UTC)
    treatments = _table(
        "treatment", "id", "status", "deleted_at", "draft", "review_hash", "draft_review_hash",
        "title", "summary", "type_id", *TREATMENT_COLUMNS,
        json=("draft", *TREATMENT_COLUMNS),
    )  # fmt: skip
    rows = {row.id: row for row in conn.execute(sa.select(treatments))}
    old = _table(
        "treatment_condition", "treatment_id", "slug", "name", "position", integer=("position",)
    )
    by_treatment: dict[str, list[Any]] = {}
    for row in conn.execute(sa.select(old).order_by(old.c.treatment_id, old.c.position)):
        by_treatment.setdefault(row.treatment_id, []).append(row)

    names: dict[str, Counter[str]] = {}
    live: set[str] = set()
    for treatment_id, entries in by_treatment.items():
        treatment = rows[treatment_id]
        for entry in entries:
            names.setdefault(entry.slug, Counter())[entry.name] += 1
            if treatment.status == "published" and treatment.deleted_at is None:
                live.add(entry.slug)
    for treatment in rows.values():
        for entry in (treatment.draft or {}).get("conditions") or []:
            names.setdefault(entry["slug"], Counter())[entry["name"]] += 0

    def condition_id(slug: str) -> str:
        return str(uuid.uuid5(SEED_NAMESPACE, f"condition:{slug}"))

    conditions = [
        {"id": condition_id(slug), "slug": slug, "name": counts.most_common(1)[0][0],
         "summary": "", "sources": [], "locale": "en",
         "status": "published" if slug in live else "draft", "version": 1,
         "created_at": now, "updated_at": now}
        for slug, counts in sorted(names.items())
    ]  # fmt: skip
    if conditions:
        table = _table("condition", *conditions[0], json=("sources",), integer=("version",))
        conn.execute(sa.insert(table), conditions)
    links = {
        (condition_id(entry.slug), treatment_id)
        for treatment_id, entries in by_treatment.items()
        for entry in entries
    }
    if links:
        conn.execute(
            sa.insert(_table("condition_treatment", "condition_id", "treatment_id")),
            [{"condition_id": c, "treatment_id": t} for c, t in sorted(links)],
        )

    hashes = _Hashes(conn)
    for treatment_id, treatment in rows.items():
        update: dict[str, Any] = {}
        entries = [{"slug": e.slug, "name": e.name} for e in by_treatment.get(treatment_id, [])]
        values = hashes.of_columns(treatment)
        review_hash = _rehash(treatment.review_hash, {**values, "conditions": entries}, values)
        if review_hash != treatment.review_hash:
            update["review_hash"] = review_hash
        if treatment.draft is not None and "conditions" in treatment.draft:
            draft = dict(treatment.draft)
            values = hashes.of_draft(draft)
            before = {**values, "conditions": draft.pop("conditions")}
            update["draft_review_hash"] = _rehash(treatment.draft_review_hash, before, values)
            update["draft"] = draft
        if update:
            _update(conn, "treatment", treatment_id, update, json=("draft",))

    _move_translations(conn, by_treatment, condition_id, now)
    revisions = _table("revision", "id", "kind", "snapshot", json=("snapshot",))
    for row in conn.execute(sa.select(revisions).where(revisions.c.kind == "treatment")):
        if "conditions" in (row.snapshot or {}):
            snapshot = {k: v for k, v in row.snapshot.items() if k != "conditions"}
            _update(conn, "revision", row.id, {"snapshot": snapshot}, json=("snapshot",))

    published = [c for c in conditions if c["status"] == "published"]
    if published:
        conn.execute(
            sa.insert(_table("change_log", "kind", "item_id", "action", "created_at")),
            [{"kind": "condition", "item_id": c["id"], "action": "published", "created_at": now}
             for c in published],
        )  # fmt: skip
        conn.execute(
            sa.insert(_table("search_document", "kind", "item_id", "slug", "title", "keywords",
                             "body")),
            [{"kind": "condition", "item_id": c["id"], "slug": c["slug"], "title": c["name"],
              "keywords": "", "body": ""} for c in published],
        )  # fmt: skip
    conn.execute(sa.delete(sa.table("rendered_document_tag")))
    conn.execute(sa.delete(sa.table("rendered_document")))

    with op.batch_alter_table("treatment_condition") as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_condition_slug"))
    op.drop_table("treatment_condition")


def _move_translations(conn: sa.Connection, by_treatment: dict[str, list[Any]],
                       condition_id: Any, now: datetime) -> None:  # fmt: skip
    """Translated condition names (by position) become the condition's translations."""
    translation = _table(
        "translation", "id", "kind", "item_id", "locale", "data", "draft", "review_hash",
        "draft_review_hash", json=("data", "draft"), integer=("id",),
    )  # fmt: skip
    found: dict[tuple[str, str], str] = {}
    for row in conn.execute(
        sa.select(translation).where(translation.c.kind == "treatment").order_by(translation.c.id)
    ):
        if "conditions" not in (row.data or {}) and "conditions" not in (row.draft or {}):
            continue
        entries = by_treatment.get(row.item_id, [])
        for i, text in enumerate((row.data or {}).get("conditions") or []):
            name = text.get("name") if isinstance(text, dict) else None
            if name and i < len(entries):
                found.setdefault((condition_id(entries[i].slug), row.locale), name)
        update: dict[str, Any] = {}
        for column, hash_column in (("data", "review_hash"), ("draft", "draft_review_hash")):
            text = getattr(row, column)
            if text is not None and "conditions" in text:
                kept = {k: v for k, v in text.items() if k != "conditions"}
                update[column] = kept
                update[hash_column] = _rehash_translation(getattr(row, hash_column), text, kept)
        _update(conn, "translation", row.id, update, json=("data", "draft"), integer=("id",))
    if found:
        target = _table(
            "translation", "kind", "item_id", "locale", "data", "version", "created_at",
            "updated_at", json=("data",), integer=("version",),
        )  # fmt: skip
        conn.execute(
            sa.insert(target),
            [{"kind": "condition", "item_id": item_id, "locale": locale, "data": {"name": name},
              "version": 1, "created_at": now, "updated_at": now}
             for (item_id, locale), name in sorted(found.items())],
        )  # fmt: skip


def downgrade() -> None:
    op.create_table(
        "treatment_condition",
        sa.Column("treatment_id", sa.String(length=36), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_id"], ["treatment.id"],
            name=op.f("fk_treatment_condition_treatment_id_treatment"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("treatment_id", "slug", name=op.f("pk_treatment_condition")),
    )  # fmt: skip
    with op.batch_alter_table("treatment_condition") as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_condition_slug"), ["slug"], unique=False)
    conn = op.get_bind()
    condition = _table("condition", "id", "slug", "name")
    links = _table("condition_treatment", "condition_id", "treatment_id")
    by_treatment: dict[str, list[Any]] = {}
    for row in conn.execute(
        sa.select(links.c.treatment_id, condition.c.id, condition.c.slug, condition.c.name)
        .join(condition, condition.c.id == links.c.condition_id)
        .order_by(links.c.treatment_id, condition.c.slug)
    ):
        by_treatment.setdefault(row.treatment_id, []).append(row)
    rows = [
        {"treatment_id": t, "slug": e.slug, "name": e.name, "position": i}
        for t, entries in sorted(by_treatment.items())
        for i, e in enumerate(entries)
    ]
    if rows:
        conn.execute(
            sa.insert(_table("treatment_condition", "treatment_id", "slug", "name", "position",
                             integer=("position",))),
            rows,
        )  # fmt: skip

    hashes = _Hashes(conn)
    treatments = _table(
        "treatment", "id", "review_hash", "draft", "draft_review_hash", "title", "summary",
        "type_id", *TREATMENT_COLUMNS, json=("draft", *TREATMENT_COLUMNS),
    )  # fmt: skip
    for row in list(conn.execute(sa.select(treatments))):
        entries = [{"slug": e.slug, "name": e.name} for e in by_treatment.get(row.id, [])]
        values = hashes.of_columns(row)
        update = {
            "review_hash": _rehash(row.review_hash, values, {**values, "conditions": entries})
        }
        if row.draft is not None:
            # The old app reads a draft without `conditions` as having none.
            values = hashes.of_draft(row.draft)
            update["draft_review_hash"] = _rehash(
                row.draft_review_hash, values, {**values, "conditions": None}
            )
        _update(conn, "treatment", row.id, update)

    translation = _table("translation", "id", "kind", "item_id", "locale", "data",
                         json=("data",), integer=("id",))  # fmt: skip
    names = {
        (row.item_id, row.locale): (row.data or {}).get("name")
        for row in conn.execute(sa.select(translation).where(translation.c.kind == "condition"))
    }
    translation = _table("translation", "id", "kind", "item_id", "locale", "data", "review_hash",
                         json=("data",), integer=("id",))  # fmt: skip
    for row in list(conn.execute(sa.select(translation).where(translation.c.kind == "treatment"))):
        entries = by_treatment.get(row.item_id, [])
        texts = [names.get((e.id, row.locale)) for e in entries]
        if any(texts):
            data = {**(row.data or {}), "conditions": [{"name": t} if t else {} for t in texts]}
            reviewed = ("conditions", *TREATMENT_FIELDS)
            before = {k: v for k, v in (row.data or {}).items() if k in reviewed}
            after = {k: v for k, v in data.items() if k in reviewed}
            review_hash = row.review_hash if not before else _rehash(row.review_hash, before, after)
            _update(conn, "translation", row.id, {"data": data, "review_hash": review_hash},
                    json=("data",), integer=("id",))  # fmt: skip

    for name in ("translation", "revision", "change_log", "search_document"):
        table = _table(name, "kind")
        conn.execute(sa.delete(table).where(table.c.kind == "condition"))
    for name in ("condition_clinic", "condition_doctor", "condition_treatment"):
        right = name.removeprefix("condition_")
        with op.batch_alter_table(name) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_{right}_id"))
        op.drop_table(name)
    with op.batch_alter_table("condition_code") as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_code_code"))
    op.drop_table("condition_code")
    with op.batch_alter_table("condition") as batch_op:
        for column in (
            "updated_at", "unpublish_at", "status", "readability_grade", "publish_at",
            "next_review_due", "name",
        ):  # fmt: skip
            batch_op.drop_index(batch_op.f(f"ix_condition_{column}"))
    op.drop_table("condition")
