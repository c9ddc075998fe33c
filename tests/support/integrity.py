"""Whole-database checks, driven by the ORM metadata so a new table is covered
without anyone remembering to add it: a snapshot that reveals any write, and
the constraints re-checked row by row on either engine (orphans for every
foreign key, as PRAGMA foreign_key_check does on SQLite; duplicates for every
unique constraint; enum columns holding only their enum's values)."""

from typing import Any

from sqlalchemy import Engine, Enum, UniqueConstraint, and_, func, select

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


def violations(engine: Engine) -> list[str]:
    """Every declared constraint, re-checked against the rows actually stored."""
    found = orphans(engine)
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            uniques = [
                list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)
            ]
            uniques += [[c] for c in table.columns if c.unique]
            for columns in uniques:
                stmt = select(*columns).group_by(*columns).having(func.count() > 1)
                if conn.execute(stmt).first() is not None:
                    names = ", ".join(c.name for c in columns)
                    found.append(f"{table.name}({names}): duplicate values")
            for column in table.columns:
                if isinstance(column.type, Enum):
                    stray = select(column).where(column.not_in(column.type.enums)).limit(1)
                    if conn.execute(stray).first() is not None:
                        found.append(f"{table.name}.{column.name}: a value outside its enum")
    return found
