"""How long `treatments import` takes for 100,000 FAQs (the performance issue's target: < 60 s).

Builds a throw-away SQLite database (migrated and seeded, so the FAQs can
name the seed's treatment), writes a synthetic export file of N FAQs in the
format `treatments export` produces (each with two revisions, tags and, for
one in ten, a Hindi translation; every text says "(synthetic)"), then times
the import of that file, and the export of the result for comparison.

    .venv/bin/python bench/import_speed.py [N] [--batch-size 500]
"""

import argparse
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app import wiring
from app.cli.migrate import upgrade
from app.config import Settings
from app.db import Database, make_engine
from app.services.transfer.export import export_lines, line
from app.services.transfer.importer import Importer
from app.services.transfer.seed import load_seed, read_seed_files

NAMESPACE = uuid.UUID("0c1d6a8e-51b4-4d1e-9d3e-5f1b2a7c0001")
WHEN = "2025-01-02T03:04:05.678901Z"


def faq_id(slug: str) -> str:
    return str(uuid.uuid5(NAMESPACE, slug))


def synthetic_faq(number: int) -> dict[str, Any]:
    slug = f"synthetic-faq-{number:06d}"
    document = {
        "slug": slug,
        "question": f"How long does step {number} of the plan take? (synthetic)",
        "answer": f"Step {number} usually takes {number % 9 + 1} weeks; your care team "
        "will tell you more at each visit. (synthetic)",
        "treatment": "immunotherapy",
        "position": number % 1000,
        "tags": sorted({"synthetic", f"group-{number % 50}"}),
        "last_reviewed": None,
        "next_review_due": None,
        "reviewed_by": None,
        "locale": "en",
    }
    item_id = faq_id(slug)
    revisions = [
        {"id": str(uuid.uuid5(NAMESPACE, f"{slug}:{n}")), "number": n, "action": action,
         "status": status, "version": n, "actor": "bench (synthetic)", "created_at": WHEN,
         "snapshot": document, "diff": diff}
        for n, action, status, diff in (
            (1, "created", "draft", {"slug": {"from": None, "to": slug}}),
            (2, "published", "published", {"status": {"from": "draft", "to": "published"}}),
        )
    ]  # fmt: skip
    translations = {}
    if number % 10 == 0:
        translations["hi"] = {
            "data": {"question": f"चरण {number} में कितना समय लगता है? (synthetic)"},
            "version": 1,
            "created_at": WHEN,
            "updated_at": WHEN,
        }
    return {
        "type": "item", "kind": "faq", "id": item_id, "slug": slug, "status": "published",
        "version": 2, "created_at": WHEN, "updated_at": WHEN, "deleted_at": None,
        "publish_at": None, "unpublish_at": None, "document": document, "draft": None,
        "readability": {"answer": 6.1, "question": 4.2}, "translations": translations,
        "revisions": revisions,
    }  # fmt: skip


def synthetic_file(count: int) -> Iterator[bytes]:
    yield line(
        {"type": "manifest", "format": "treatment-content-export", "version": 1,
         "kinds": ["faq"], "counts": {"faq": count}, "as_of": WHEN, "excluded": []}
    )  # fmt: skip
    # An export lists items by id; so does this file, so the database sees
    # the same insert order as when it restores a real export.
    ordered = sorted(range(count), key=lambda number: faq_id(f"synthetic-faq-{number:06d}"))
    for number in ordered:
        yield line(synthetic_faq(number))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        database = Database(make_engine(Settings(database_url=url, _env_file=None)))  # type: ignore[call-arg]
        wiring.connect(database)
        with database.transaction(write=True) as session:
            load_seed(session, documents=read_seed_files())
        source = Path(folder) / "synthetic.jsonl"
        started = time.perf_counter()
        with source.open("wb") as out:
            out.writelines(synthetic_file(args.count))
        print(f"generated {args.count} synthetic FAQs: {time.perf_counter() - started:.1f} s "
              f"({source.stat().st_size / 1e6:.0f} MB)")  # fmt: skip

        started, cpu = time.perf_counter(), time.process_time()
        with source.open("rb") as lines:
            report = Importer(database, batch_size=args.batch_size).run(lines)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"import: {elapsed:.1f} s for {sum(report.imported.values())} items "
              f"({cpu:.1f} s of CPU in this process; {len(report.rejected)} rejected, "
              f"batch size {args.batch_size})")  # fmt: skip

        started = time.perf_counter()
        with database.transaction() as session:
            exported = sum(1 for _ in export_lines(session)) - 1
        print(f"export: {time.perf_counter() - started:.1f} s for {exported} items")
        database.dispose()


if __name__ == "__main__":
    main()
