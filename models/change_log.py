"""The change log behind the sync feed, so clients can fetch only what changed
since their last cursor."""

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ChangeLog(Base):
    """Append-only record of publicly relevant changes; the sync feed reads it.

    `seq` only ever grows (AUTOINCREMENT on SQLite, a sequence on
    PostgreSQL), and rows commit in `seq` order (see app/services/delivery/sync.py),
    so a cursor that is a `seq` never skips a change.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index(None, "kind", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
