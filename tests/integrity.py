"""Whole-database checks, driven by the ORM metadata so a new table is covered
without anyone remembering to add it: a snapshot that reveals any write, and
orphan detection for every foreign key (what PRAGMA foreign_key_check does on
SQLite, for both engines)."""

from typing import Any

from sqlalchemy import Engine, and_, func, select

from models import Base

# Stamped by the key-usage tracker on any authenticated request, at most once a
# minute; it is bookkeeping about the caller, not content, so it may change.
VOLATILE = {("api_key", "last_used_at")}


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: equal snapshots mean nothing was written."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            rows = conn.execute(select(*columns)).all()
            state[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return state


def orphans(engine: Engine) -> list[str]:
    """Rows whose foreign key names a row that does not exist, one line per broken key."""
    found: list[str] = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_key_constraints:
                parent = fk.referred_table.alias("parent")
                local = list(fk.columns)
                remote = [parent.c[element.column.name] for element in fk.elements]
                missing = (
                    select(func.count())
                    .select_from(
                        table.outerjoin(
                            parent, and_(*(lc == rc for lc, rc in zip(local, remote, strict=True)))
                        )
                    )
                    .where(and_(*(lc.is_not(None) for lc in local)), remote[0].is_(None))
                )
                count = conn.scalar(missing) or 0
                if count:
                    names = ", ".join(c.name for c in local)
                    found.append(f"{table.name}({names}) -> {fk.referred_table.name}: {count}")
    return found
