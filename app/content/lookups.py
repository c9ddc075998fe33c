"""What generic work derives from the registry: load and export order, kind paths.

Seed, export and import walk kinds in LOAD_ORDER, so every slug an item names
already exists when it is loaded. The order is checked at import: a kind that
would load before a kind it references fails loudly instead of half-loading.
"""

import itertools
import re
from collections.abc import Iterable

from app.content.entry import Kind
from app.content.field_mappings import SlugRef, SlugRefList
from app.content.kinds import KINDS
from app.errors import BadRequest


def references(kind: Kind, kinds: Iterable[Kind]) -> list[tuple[str, Kind]]:
    """(field, kind) for every other kind this kind's input fields name by slug."""
    by_model = {other.model: other for other in kinds}
    found = []
    for name, mapping in kind.fields.items():
        if isinstance(mapping, SlugRef | SlugRefList) and mapping.model is not kind.model:
            if mapping.model not in by_model:
                raise ValueError(f"kind {kind.path!r}: field {name!r} names a model with no kind")
            found.append((name, by_model[mapping.model]))
    return found


def load_order(kinds: Iterable[Kind]) -> list[Kind]:
    """Kinds by `load_order`, after checking each comes after every kind it references."""
    ordered = sorted(kinds, key=lambda kind: kind.load_order)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.load_order == later.load_order:
            raise ValueError(f"kinds {earlier.path!r} and {later.path!r} share a load_order")
    for kind in ordered:
        for name, other in references(kind, ordered):
            if other.load_order >= kind.load_order:
                raise ValueError(
                    f"kind {kind.path!r} loads before {other.path!r}, which its field "
                    f"{name!r} references: give it a larger load_order"
                )
    return ordered


# Referenced kinds first, so every slug a later item names already exists.
LOAD_ORDER: list[Kind] = load_order(KINDS.values())
EXPORT_KINDS: list[Kind] = [kind for kind in LOAD_ORDER if kind.exported]

KIND_PATHS_PATTERN = "^(?:{0})(?:,(?:{0}))*$".format("|".join(sorted(KINDS)))


def parse_kind_paths(value: str | None, *, param: str = "kinds") -> list[Kind] | None:
    """`faqs,treatments` -> kinds (None when absent); an unknown name is a 400 naming it.

    Accepted: exactly KIND_PATHS_PATTERN, which the OpenAPI document publishes.
    """
    if value is None:
        return None
    names = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in KINDS]
    if not unknown and not re.fullmatch(KIND_PATHS_PATTERN, value):
        unknown = [value]
    if unknown or not names:
        raise BadRequest(
            f"Unknown kind(s) in {param}: {', '.join(unknown) or '(none given)'}. "
            f"Known: {', '.join(KINDS)}.",
            errors=[{"field": param, "message": f"unknown kind {name!r}"} for name in unknown]
            or [{"field": param, "message": "no kind given"}],
        )
    return [KINDS[name] for name in names]
