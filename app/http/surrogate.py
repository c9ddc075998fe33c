"""Surrogate keys: which content a response shows, for purging and invalidation.

A response is tagged with every `id` in its body, so a change reaches every
page that embeds the item, and with kind keys, so a newly published item
(whose id is in no cached body yet) still reaches the lists that would
show it. Routes the registry cannot read get `content`, which every change
purges: correct first, precise where we can be.

Full mechanics and reasons: docs/internals.md, under this module's name.
"""

from functools import lru_cache
from typing import Any

from app.content.kinds import KINDS

WILDCARD = "content"
_LIST_FIELDS: dict[str, str] = {
    **{path: path for path in KINDS},
    **{path.replace("-", "_"): path for path in KINDS},
}
_SAME_KIND_FIELDS = frozenset({"children"})
_TAGGED_PREFIXES = ("/v1/", "/fhir/")


def change_tags(kind_path: str, item_id: str) -> frozenset[str]:
    return frozenset({item_id, kind_path, WILDCARD})


@lru_cache(maxsize=1024)
def route_tags(template: str) -> tuple[str | None, tuple[str, ...]]:
    """(the route's own kind or None, the kind keys its template alone implies)."""
    if not template.startswith(_TAGGED_PREFIXES):
        return None, ()
    segments = [s for s in template.split("/") if s]
    if template.startswith("/fhir/") or len(segments) < 2 or segments[1] not in KINDS:
        return None, (WILDCARD,)
    own = segments[1]
    last = segments[-1]
    if "{" not in last and last in KINDS:
        return own, (last,)
    return own, ()


def is_tagged_path(path: str) -> bool:
    return path.startswith(_TAGGED_PREFIXES)


def collect(document: Any, template: str) -> list[str]:
    """Ids and kind keys for one JSON body, in a deterministic order, without repeats."""
    own_kind, keys = route_tags(template)
    found: dict[str, None] = dict.fromkeys(keys)
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "id" and isinstance(value, str):
                    found[value] = None
                elif isinstance(value, list):
                    kind = _LIST_FIELDS.get(name)
                    if kind is None and name in _SAME_KIND_FIELDS:
                        kind = own_kind
                    if kind is not None:
                        found[kind] = None
                    stack.append(value)
                elif isinstance(value, dict):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, dict | list))
    return list(found)
