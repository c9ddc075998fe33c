"""Loading the human-editable seed files through the same schemas and
services as the API, so the seed can never hold what the API would reject.

Loading is idempotent (an existing slug is left alone: an editor may have
improved it) and seed ids derive from kind and slug, so every deployment
gives the same item the same id. The seed publishes without the clinical
review step because it imports content the hospital has already published,
not a new editorial decision.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.content.kinds import KINDS
from app.content.lookups import LOAD_ORDER
from app.errors import ValidationFailed
from app.services.api_key import SYSTEM, Actor, act_as, actor_of
from app.services.editorial import direct_writes as content

SEED_DIR = Path(__file__).resolve().parents[3] / "seed_data"
SEED_ACTOR = Actor("seed")
SEED_NAMESPACE = uuid.UUID("5b6f1c52-6a8e-4c43-9d0c-2f1de0a8c001")


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], *, path: str) -> None:
        bucket[path] = bucket.get(path, 0) + 1


def seed_id(kind: Kind, *, slug: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, f"{kind.name}:{slug}"))


def read_seed_files(directory: Path = SEED_DIR) -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, items in document.items():
            if key not in KINDS:
                raise ValidationFailed(f"{path.name}: unknown section {key!r}")
            merged.setdefault(key, []).extend(items or [])
    return merged


def _topological(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parents before children within one kind (nested types and routes)."""
    slugs = {item["slug"] for item in items}
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(items)
    while pending:
        ready = [i for i in pending if i.get("parent") not in slugs or i.get("parent") in done]
        if not ready:
            raise ValidationFailed("seed data has a cycle of parents")
        for item in ready:
            ordered.append(item)
            done.add(item["slug"])
            pending.remove(item)
    return ordered


def load_seed(
    session: Session, *, documents: dict[str, list[dict[str, Any]]], publish: bool = True
) -> SeedReport:
    report = SeedReport()
    if actor_of(session) is SYSTEM:
        act_as(session, actor=SEED_ACTOR)
    for kind in LOAD_ORDER:
        path = kind.path
        for raw in _topological(documents.get(path, [])):
            try:
                payload = kind.create_schema.model_validate(raw)
            except ValidationError as exc:
                raise ValidationFailed(
                    f"seed {path}/{raw.get('slug')}: {exc.errors()[0]['msg']} "
                    f"at {'.'.join(str(p) for p in exc.errors()[0]['loc'])}"
                ) from exc
            if content.slug_taken(session, kind=kind, slug=raw["slug"]):
                report.count(report.skipped, path=path)
                continue
            item = content.create(
                session, kind=kind, payload=payload, item_id=seed_id(kind, slug=raw["slug"])
            )
            if publish:
                content.publish(session, kind=kind, item=item)
            report.count(report.created, path=path)
    return report
