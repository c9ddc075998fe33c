"""Bulk import of an export file (docs/export-format.md): one transaction per batch.

A batch is written set-based; if the database refuses it, it is written
again one record per SAVEPOINT so the offending record is reported and
skipped while its neighbours import. Import bypasses the per-item
content-changed hook, which would add revisions and audit entries and so
break the round trip; search, sync and cache purges are done per batch.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby

import orjson
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.db import Database
from app.errors import AppError, ValidationFailed
from app.schemas.export import ExportManifest, ItemRecord
from app.services.api_key import Actor, act_as
from app.services.change_hook import Action, content_replaced
from app.services.delivery import search_index, sync
from app.services.editorial import audit
from app.services.transfer.export import FORMAT, SUPPORTED_VERSIONS
from app.services.transfer.import_records import (
    ImportMode,
    Rejected,
    Rejection,
    parse_line,
    prepare,
    pydantic_reason,
    reason,
)
from app.services.transfer.import_rows import PreparedItem, RefCache, store
from app.services.transfer.legacy_conditions import FIRST_VERSION_WITH_CONDITIONS, LegacyConditions

IMPORT_ACTOR = Actor("import")
Parsed = tuple[int, Kind, ItemRecord]


@dataclass
class ImportReport:
    imported: dict[str, int] = field(default_factory=dict)  # by kind, replaced ones included
    replaced: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    expected: int = 0  # item lines the manifest promises
    lines: int = 0  # item lines the file holds, rejected ones included

    @property
    def missing(self) -> int:
        """Item lines promised by the manifest but absent: a cut-off file."""
        return max(0, self.expected - self.lines)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.missing


def read_manifest(number: int, *, raw: bytes) -> ExportManifest:
    try:
        return ExportManifest.model_validate(orjson.loads(raw))
    except (orjson.JSONDecodeError, ValidationError) as exc:
        detail = pydantic_reason(exc) if isinstance(exc, ValidationError) else str(exc)
        raise ValidationFailed(
            f"line {number}: not a {FORMAT} manifest of version "
            f"{' or '.join(map(str, SUPPORTED_VERSIONS))} ({detail})"
        ) from exc


@dataclass
class _Outcome:
    written: list[PreparedItem] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


class Importer:
    def __init__(
        self,
        database: Database,
        *,
        mode: ImportMode = ImportMode.create,
        batch_size: int = 500,
        on_progress: Callable[[int], None] | None = None,  # each batch's bytes, once done
    ) -> None:
        self.database = database
        self.mode = mode
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.refs = RefCache()
        self.lines_by_id: dict[str, int] = {}
        self.report = ImportReport()
        self.legacy: LegacyConditions | None = None

    def run(self, lines: Iterable[bytes]) -> ImportReport:
        with _fewer_collections():
            return self._run(lines)

    def _run(self, lines: Iterable[bytes]) -> ImportReport:
        numbered = ((n, raw) for n, raw in enumerate(lines, start=1) if raw.strip())
        first = next(numbered, None)
        if first is None:
            raise ValidationFailed("the file is empty; expected a manifest on line 1")
        number, raw = first
        manifest = read_manifest(number, raw=raw)
        self.report.expected = sum(manifest.counts.values())
        if manifest.version < FIRST_VERSION_WITH_CONDITIONS:
            self.legacy = LegacyConditions()
        last = first[0]
        for batch in _batches(numbered, self.batch_size):
            self._run_batch(batch)
            last = batch[-1][0]
            if self.on_progress is not None:
                self.on_progress(sum(len(raw) for _, raw in batch))
        if self.legacy is not None:
            # Conditions made from the old treatments, numbered after the last line.
            made = list(enumerate(self.legacy.lines(), start=last + 1))
            self.report.expected += len(made)
            for batch in _batches(iter(made), self.batch_size):
                self._run_batch(batch)
            self.legacy.keep_reviews(self.database)
        return self.report

    def _reject(self, rejection: Rejection) -> None:
        self.report.rejected.append(rejection)

    def _run_batch(self, batch: list[tuple[int, bytes]]) -> None:
        parsed: list[Parsed] = []
        self.report.lines += len(batch)
        for number, raw in batch:
            result = parse_line(number, raw=raw)
            if isinstance(result, Rejection):
                self._reject(result)
                continue
            kind, record = result
            if self.legacy is not None and kind.name == "treatment":
                record = self.legacy.strip(record)
            earlier = self.lines_by_id.get(record.id)
            if earlier is not None:
                label = f"{kind.name}/{record.slug}"
                self._reject(Rejection(number, label, f"id {record.id} is on line {earlier} too"))
                continue
            self.lines_by_id[record.id] = number
            parsed.append((number, kind, record))
        try:
            outcome = self._attempt(parsed, bulk=True)
        except SQLAlchemyError:
            self.refs.clear()  # it learned slugs that were rolled back
            outcome = self._attempt(parsed, bulk=False)
        for rejection in outcome.rejected:
            self._reject(rejection)
        for prepared in outcome.written:
            name = prepared.kind.name
            self.report.imported[name] = self.report.imported.get(name, 0) + 1
            self.report.replaced += prepared.existing

    def _attempt(self, parsed: Sequence[Parsed], *, bulk: bool) -> _Outcome:
        outcome = _Outcome()
        with self.database.transaction(write=True) as session:
            act_as(session, actor=IMPORT_ACTOR)
            for kind, group in groupby(parsed, key=lambda entry: entry[1]):
                entries = list(group)
                if bulk:
                    written = self._write_together(session, kind, entries, outcome)
                else:
                    written = self._write_one_by_one(session, kind, entries, outcome)
                _after_write(session, kind, written)
                outcome.written.extend(written)
            if parsed:
                audit.add_event(
                    session, actor=IMPORT_ACTOR, action="imported", kind="import",
                    details={"lines": [parsed[0][0], parsed[-1][0]], "mode": str(self.mode),
                             "written": len(outcome.written),
                             "rejected": len(outcome.rejected)},
                )  # fmt: skip
        return outcome

    def _prepare(
        self, session: Session, kind: Kind, entry: Parsed, outcome: _Outcome
    ) -> PreparedItem | None:
        number, _kind, record = entry
        try:
            return prepare(
                session, kind=kind, line=number, record=record, refs=self.refs, mode=self.mode
            )
        except Rejected as exc:
            outcome.rejected.append(Rejection(number, f"{kind.name}/{record.slug}", str(exc)))
        except AppError as exc:
            outcome.rejected.append(Rejection(number, f"{kind.name}/{record.slug}", reason(exc)))
        return None

    def _write_together(
        self, session: Session, kind: Kind, entries: list[Parsed], outcome: _Outcome
    ) -> list[PreparedItem]:
        prepared = []
        for entry in entries:
            item = self._prepare(session, kind, entry, outcome)
            if item is not None:
                # Later records of the batch may name it (a child type its parent).
                self.refs.add(session, model=kind.model, slug=item.slug, item_id=item.item_id)
                prepared.append(item)
        store(session, kind=kind, items=prepared)
        return prepared

    def _write_one_by_one(
        self, session: Session, kind: Kind, entries: list[Parsed], outcome: _Outcome
    ) -> list[PreparedItem]:
        written = []
        for entry in entries:
            item = self._prepare(session, kind, entry, outcome)
            if item is None:
                continue
            try:
                with session.begin_nested():
                    store(session, kind=kind, items=[item])
            except SQLAlchemyError as exc:
                message = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                outcome.rejected.append(
                    Rejection(item.line, item.label, f"the database refused it: {message}")
                )
                continue
            self.refs.add(session, model=kind.model, slug=item.slug, item_id=item.item_id)
            written.append(item)
        return written


def _after_write(session: Session, kind: Kind, written: Sequence[PreparedItem]) -> None:
    """The derived data the change hook would have kept, for the whole group at once."""
    if not written:
        return
    ids = [item.item_id for item in written]
    items = list(session.scalars(select(kind.model).where(kind.model.id.in_(ids))))
    replaced = {item.item_id for item in written if item.existing}
    search_index.index_items(session, kind=kind, items=items, replaced=sorted(replaced))
    sync.log_items(
        session,
        kind_name=kind.name,
        items=[i for i in items if i.id not in replaced],
        action=Action.created,
    )
    sync.log_items(
        session,
        kind_name=kind.name,
        items=[i for i in items if i.id in replaced],
        action=Action.updated,
    )
    content_replaced(session, kind=kind.path, ids=ids)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector far less often while importing.

    A batch allocates hundreds of thousands of short-lived containers, and
    with the default thresholds the collector keeps rescanning everything
    the import holds (the slug cache, the ids seen): about a fifth of the
    import's time. Reference counting still frees the garbage as it goes.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 100_000), thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _batches(numbered: Iterator[tuple[int, bytes]], size: int) -> Iterator[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    for entry in numbered:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
