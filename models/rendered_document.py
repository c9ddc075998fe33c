"""The rendered-document store: finished public responses, shared by every worker.

A materialized read model of the public API. Each row is one anonymous,
cacheable GET representation exactly as it went on the wire (body already
gzip-compressed when the request accepted gzip, the header list the edge
layers start from), keyed like the in-memory response cache
(`app.http.response_cache.cache_key`, hashed). `app.http.cold_reads`
reads and writes it; `app.http.invalidation` deletes rows inside the
transaction of every content change that could alter them.

Why three tables:

- `rendered_document`: the bytes, with `expires_at`, the first schedule or
  review-date boundary after the render began (a row past it is a miss).
- `rendered_document_tag`: Surrogate-Key tag -> document, indexed on tag,
  so purging a change's tags is one DELETE (the tags go by cascade).
- `rendered_generation`: one row whose `value` every purge bumps. A render
  stores its result only if the value has not moved since before it read
  any content, so a render that raced a write can never store stale bytes
  (see `app.services.delivery.rendered_documents.save`).
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
