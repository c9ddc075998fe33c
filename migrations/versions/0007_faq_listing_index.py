"""faq: indexes that keep the FAQ list's late pages as cheap as its first

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:20:00.000000

The default FAQ list counts each treatment's public FAQs (app/services/faq.py,
`_reading_order_page`). With the visibility columns in the index, that is an
index scan that reads the table only for a scheduled FAQ's draft: 15 ms at
100,000 FAQs on SQLite, against 122-193 ms through ix_faq_treatment_id plus
a table read per row. The second serves `sort=updated_at` (either way)
the same way: skipping 99,900 FAQs walks the index without reading their
rows, 68 ms against 225 ms. Dropping them loses speed, not data.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VISIBLE = ["status", "deleted_at", "publish_at", "unpublish_at"]
INDEXES = {
    "ix_faq_visible_by_treatment": ["treatment_id", *VISIBLE, "position", "id"],
    "ix_faq_visible_by_updated_at": ["updated_at", *VISIBLE, "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "faq", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="faq")
