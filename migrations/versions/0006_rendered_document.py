"""rendered-document store: finished public responses, their tags, a generation

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 09:00:00.000000

See models/rendered_document.py. The generation row starts at 0; writers
bump it with an upsert, so a wiped table heals itself on the next change.
The store is a cache of what the content tables already say: downgrading
drops it with nothing lost.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rendered_document",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("route", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("etag", sa.String(length=100), nullable=False),
        sa.Column("surrogate_key", sa.Text(), nullable=False),
        sa.Column("headers", sa.LargeBinary(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rendered_document")),
    )
    with op.batch_alter_table("rendered_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rendered_document_stored_at"), ["stored_at"], unique=False
        )

    op.create_table(
        "rendered_document_tag",
        sa.Column("tag", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["key"],
            ["rendered_document.key"],
            name=op.f("fk_rendered_document_tag_key_rendered_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tag", "key", name=op.f("pk_rendered_document_tag")),
    )
    with op.batch_alter_table("rendered_document_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rendered_document_tag_key"), ["key"], unique=False)

    generation = op.create_table(
        "rendered_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rendered_generation")),
    )
    op.bulk_insert(generation, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("rendered_generation")
    with op.batch_alter_table("rendered_document_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rendered_document_tag_key"))
    op.drop_table("rendered_document_tag")
    with op.batch_alter_table("rendered_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rendered_document_stored_at"))
    op.drop_table("rendered_document")
