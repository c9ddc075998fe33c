"""The search index's source rows, one per visible item, so search reads one
table whatever the kind."""

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class SearchDocument(Base):
    """The searchable text of one publicly visible item, in the default locale.

    The engine-specific index lives beside it and is not modelled here: on
    SQLite the FTS5 table `search_fts` (external content = this table, kept
    in step by triggers); on PostgreSQL the generated `search_vector`
    tsvector column with its GIN index. Both are created by migration 0003
    and hidden from autogenerate by `app.cli.migrate.include_name`.
    """

    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("kind", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(36), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
