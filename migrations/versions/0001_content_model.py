"""content model

Revision ID: 0001
Revises:
Create Date: 2026-11-28 20:20:36.678589
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "administration_route",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("snomed_code", sa.String(length=20), nullable=True),
        sa.Column("snomed_display", sa.String(length=200), nullable=True),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["administration_route.id"],
            name=op.f("fk_administration_route_parent_id_administration_route"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_administration_route")),
        sa.UniqueConstraint("slug", name=op.f("uq_administration_route_slug")),
    )
    with op.batch_alter_table("administration_route", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_administration_route_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_administration_route_snomed_code"), ["snomed_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_administration_route_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_administration_route_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "clinic",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic")),
        sa.UniqueConstraint("slug", name=op.f("uq_clinic_slug")),
    )
    with op.batch_alter_table("clinic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clinic_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_clinic_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_clinic_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "doctor",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("honorific", sa.String(length=40), nullable=False),
        sa.Column(
            "qualifications",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("photo_url", sa.String(length=2000), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doctor")),
        sa.UniqueConstraint("slug", name=op.f("uq_doctor_slug")),
    )
    with op.batch_alter_table("doctor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doctor_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_doctor_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_doctor_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "media",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("video", "article", name="mediakind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("thumbnail_url", sa.String(length=2000), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("slug", name=op.f("uq_media_slug")),
    )
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_title"), ["title"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "organization",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("logo_url", sa.String(length=2000), nullable=True),
        sa.Column(
            "address", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("telephone", sa.String(length=60), nullable=True),
        sa.Column("content_licence", sa.Text(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False),
        sa.Column("is_placeholder", sa.Boolean(), nullable=False),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("slug", name=op.f("uq_organization_slug")),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organization_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "treatment_type",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["treatment_type.id"],
            name=op.f("fk_treatment_type_parent_id_treatment_type"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_type")),
        sa.UniqueConstraint("slug", name=op.f("uq_treatment_type_slug")),
    )
    with op.batch_alter_table("treatment_type", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_treatment_type_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_treatment_type_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_treatment_type_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "doctor_clinic",
        sa.Column("doctor_id", sa.String(length=36), nullable=False),
        sa.Column("clinic_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_doctor_clinic_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_doctor_clinic_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doctor_id", "clinic_id", name=op.f("pk_doctor_clinic")),
    )
    with op.batch_alter_table("doctor_clinic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doctor_clinic_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "doctor_language",
        sa.Column("doctor_id", sa.String(length=36), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_doctor_language_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doctor_id", "language", name=op.f("pk_doctor_language")),
    )
    with op.batch_alter_table("doctor_language", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doctor_language_language"), ["language"], unique=False)

    op.create_table(
        "doctor_specialty",
        sa.Column("doctor_id", sa.String(length=36), nullable=False),
        sa.Column("specialty", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_doctor_specialty_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doctor_id", "specialty", name=op.f("pk_doctor_specialty")),
    )
    with op.batch_alter_table("doctor_specialty", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_doctor_specialty_specialty"), ["specialty"], unique=False
        )

    op.create_table(
        "media_clinic",
        sa.Column("media_id", sa.String(length=36), nullable=False),
        sa.Column("clinic_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_media_clinic_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_media_clinic_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", "clinic_id", name=op.f("pk_media_clinic")),
    )
    with op.batch_alter_table("media_clinic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_clinic_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "media_doctor",
        sa.Column("media_id", sa.String(length=36), nullable=False),
        sa.Column("doctor_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_media_doctor_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_media_doctor_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", "doctor_id", name=op.f("pk_media_doctor")),
    )
    with op.batch_alter_table("media_doctor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_doctor_doctor_id"), ["doctor_id"], unique=False)

    op.create_table(
        "treatment",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("type_id", sa.String(length=36), nullable=True),
        sa.Column(
            "sections", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "schedule", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column(
            "duration_factors",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "follow_up", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column(
            "comparisons", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "sources", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("last_reviewed", sa.Date(), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["treatment_type.id"],
            name=op.f("fk_treatment_type_id_treatment_type"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment")),
        sa.UniqueConstraint("slug", name=op.f("uq_treatment_slug")),
    )
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_treatment_next_review_due"), ["next_review_due"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_treatment_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_treatment_title"), ["title"], unique=False)
        batch_op.create_index(batch_op.f("ix_treatment_type_id"), ["type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_treatment_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "clinic_treatment",
        sa.Column("clinic_id", sa.String(length=36), nullable=False),
        sa.Column("treatment_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_clinic_treatment_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_clinic_treatment_treatment_id_treatment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "treatment_id", name=op.f("pk_clinic_treatment")),
    )
    with op.batch_alter_table("clinic_treatment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clinic_treatment_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "doctor_treatment",
        sa.Column("doctor_id", sa.String(length=36), nullable=False),
        sa.Column("treatment_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_doctor_treatment_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_doctor_treatment_treatment_id_treatment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doctor_id", "treatment_id", name=op.f("pk_doctor_treatment")),
    )
    with op.batch_alter_table("doctor_treatment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_doctor_treatment_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "faq",
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("treatment_id", sa.String(length=36), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("last_reviewed", sa.Date(), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_faq_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq")),
        sa.UniqueConstraint("slug", name=op.f("uq_faq_slug")),
    )
    with op.batch_alter_table("faq", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_faq_next_review_due"), ["next_review_due"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_faq_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_faq_treatment_id"), ["treatment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_faq_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "media_treatment",
        sa.Column("media_id", sa.String(length=36), nullable=False),
        sa.Column("treatment_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_media_treatment_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_media_treatment_treatment_id_treatment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", "treatment_id", name=op.f("pk_media_treatment")),
    )
    with op.batch_alter_table("media_treatment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_media_treatment_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "treatment_condition",
        sa.Column("treatment_id", sa.String(length=36), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_treatment_condition_treatment_id_treatment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("treatment_id", "slug", name=op.f("pk_treatment_condition")),
    )
    with op.batch_alter_table("treatment_condition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_condition_slug"), ["slug"], unique=False)

    op.create_table(
        "treatment_route",
        sa.Column("treatment_id", sa.String(length=36), nullable=False),
        sa.Column("route_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["administration_route.id"],
            name=op.f("fk_treatment_route_route_id_administration_route"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_treatment_route_treatment_id_treatment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("treatment_id", "route_id", name=op.f("pk_treatment_route")),
    )
    with op.batch_alter_table("treatment_route", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_route_route_id"), ["route_id"], unique=False)

    op.create_table(
        "faq_tag",
        sa.Column("faq_id", sa.String(length=36), nullable=False),
        sa.Column("tag", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["faq_id"], ["faq.id"], name=op.f("fk_faq_tag_faq_id_faq"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("faq_id", "tag", name=op.f("pk_faq_tag")),
    )
    with op.batch_alter_table("faq_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_faq_tag_tag"), ["tag"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("faq_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_tag_tag"))

    op.drop_table("faq_tag")
    with op.batch_alter_table("treatment_route", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_route_route_id"))

    op.drop_table("treatment_route")
    with op.batch_alter_table("treatment_condition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_condition_slug"))

    op.drop_table("treatment_condition")
    with op.batch_alter_table("media_treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_treatment_treatment_id"))

    op.drop_table("media_treatment")
    with op.batch_alter_table("faq", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_updated_at"))
        batch_op.drop_index(batch_op.f("ix_faq_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_faq_status"))
        batch_op.drop_index(batch_op.f("ix_faq_next_review_due"))

    op.drop_table("faq")
    with op.batch_alter_table("doctor_treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_treatment_treatment_id"))

    op.drop_table("doctor_treatment")
    with op.batch_alter_table("clinic_treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinic_treatment_treatment_id"))

    op.drop_table("clinic_treatment")
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_updated_at"))
        batch_op.drop_index(batch_op.f("ix_treatment_type_id"))
        batch_op.drop_index(batch_op.f("ix_treatment_title"))
        batch_op.drop_index(batch_op.f("ix_treatment_status"))
        batch_op.drop_index(batch_op.f("ix_treatment_next_review_due"))

    op.drop_table("treatment")
    with op.batch_alter_table("media_doctor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_doctor_doctor_id"))

    op.drop_table("media_doctor")
    with op.batch_alter_table("media_clinic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_clinic_clinic_id"))

    op.drop_table("media_clinic")
    with op.batch_alter_table("doctor_specialty", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_specialty_specialty"))

    op.drop_table("doctor_specialty")
    with op.batch_alter_table("doctor_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_language_language"))

    op.drop_table("doctor_language")
    with op.batch_alter_table("doctor_clinic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_clinic_clinic_id"))

    op.drop_table("doctor_clinic")
    with op.batch_alter_table("treatment_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_type_updated_at"))
        batch_op.drop_index(batch_op.f("ix_treatment_type_status"))
        batch_op.drop_index(batch_op.f("ix_treatment_type_parent_id"))

    op.drop_table("treatment_type")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_updated_at"))
        batch_op.drop_index(batch_op.f("ix_organization_status"))

    op.drop_table("organization")
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_updated_at"))
        batch_op.drop_index(batch_op.f("ix_media_title"))
        batch_op.drop_index(batch_op.f("ix_media_status"))
        batch_op.drop_index(batch_op.f("ix_media_kind"))

    op.drop_table("media")
    with op.batch_alter_table("doctor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doctor_updated_at"))
        batch_op.drop_index(batch_op.f("ix_doctor_status"))
        batch_op.drop_index(batch_op.f("ix_doctor_name"))

    op.drop_table("doctor")
    with op.batch_alter_table("clinic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinic_updated_at"))
        batch_op.drop_index(batch_op.f("ix_clinic_status"))
        batch_op.drop_index(batch_op.f("ix_clinic_name"))

    op.drop_table("clinic")
    with op.batch_alter_table("administration_route", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_administration_route_updated_at"))
        batch_op.drop_index(batch_op.f("ix_administration_route_status"))
        batch_op.drop_index(batch_op.f("ix_administration_route_snomed_code"))
        batch_op.drop_index(batch_op.f("ix_administration_route_parent_id"))

    op.drop_table("administration_route")
