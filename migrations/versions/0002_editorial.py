"""editorial: api keys, revisions, the audit log, drafts, schedules, readability

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 20:29:06.115126
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# Every table that carries models.base.EditorialMixin gets the same columns.
EDITORIAL_TABLES = (
    "administration_route",
    "clinic",
    "doctor",
    "faq",
    "media",
    "organization",
    "treatment",
    "treatment_type",
)


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum("editor", "publisher", "admin", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("api_key_id", sa.String(length=36), nullable=True),
        sa.Column("key_prefix", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=True),
        sa.Column("slug", sa.String(length=120), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_key.id"],
            name=op.f("fk_audit_event_api_key_id_api_key"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        for column in ("action", "actor", "api_key_id", "item_id", "kind", "occurred_at"):
            batch_op.create_index(batch_op.f(f"ix_audit_event_{column}"), [column], unique=False)

    op.create_table(
        "revision",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("api_key_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", JSON, nullable=False),
        sa.Column("diff", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_key.id"],
            name=op.f("fk_revision_api_key_id_api_key"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint(
            "kind", "item_id", "number", name=op.f("uq_revision_kind_item_id_number")
        ),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_api_key_id"), ["api_key_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revision_item_id"), ["item_id"], unique=False)

    for table in EDITORIAL_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("draft", JSON, nullable=True))
            batch_op.add_column(sa.Column("publish_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(
                sa.Column("unpublish_at", sa.DateTime(timezone=True), nullable=True)
            )
            batch_op.add_column(sa.Column("readability", JSON, nullable=True))
            batch_op.add_column(sa.Column("readability_grade", sa.Float(), nullable=True))
            for column in ("publish_at", "readability_grade", "unpublish_at"):
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade() -> None:
    for table in EDITORIAL_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("unpublish_at", "readability_grade", "publish_at"):
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
            for column in ("readability_grade", "readability", "unpublish_at", "publish_at"):
                batch_op.drop_column(column)
            batch_op.drop_column("draft")

    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_item_id"))
        batch_op.drop_index(batch_op.f("ix_revision_api_key_id"))
    op.drop_table("revision")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        for column in ("occurred_at", "kind", "item_id", "api_key_id", "actor", "action"):
            batch_op.drop_index(batch_op.f(f"ix_audit_event_{column}"))
    op.drop_table("audit_event")
    op.drop_table("api_key")
