"""The rendered-document store: finished public responses, shared by every worker.

A materialized read model of the public API: each row is one anonymous,
cacheable GET exactly as it went on the wire, keyed like the in-memory
response cache. Three tables, so purging a change's tags is one DELETE
(`rendered_document_tag`) and a render that raced a write can never store
stale bytes (`rendered_generation`, see
`app.services.delivery.rendered_documents.save`).

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class RenderedDocument(Base):
    __tablename__ = "rendered_document"

    # sha256 of the length-prefixed cache key (app.http.cold_reads.store_key).
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    route: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(200))
    etag: Mapped[str] = mapped_column(String(100))
    surrogate_key: Mapped[str] = mapped_column(Text)
    # Every header of the 200 as the cache layer sends it, "name: value" lines.
    headers: Mapped[bytes] = mapped_column(LargeBinary)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)


class RenderedDocumentTag(Base):
    __tablename__ = "rendered_document_tag"

    tag: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("rendered_document.key", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class RenderedGeneration(Base):
    __tablename__ = "rendered_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
