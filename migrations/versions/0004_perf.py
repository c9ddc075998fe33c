"""index treatment.created_at for the list's sort=created_at

Every other filter and sort of the read API already has an index (checked
with EXPLAIN at 1,000 treatments / 100,000 FAQs: no table scans).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 20:50:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_created_at"))
