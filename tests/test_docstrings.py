"""Every module says why it exists in a few lines, and every schema describes itself.

A module docstring is the first thing a reader meets, so it must exist and
stay short (details belong next to the code or in docs/internals.md). A
schema's docstring becomes its OpenAPI description, so a schema without one
is an undocumented part of the public contract.
"""

import ast
import importlib
import inspect
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 12
SCHEMA_MODULES = ["app.api.webhook_schemas"] + [
    f"app.schemas.{path.stem}"
    for path in sorted((ROOT / "app" / "schemas").glob("*.py"))
    if path.stem != "__init__"
]


def _modules() -> list[Path]:
    return [
        path
        for folder in ("app", "models", "routers")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not (path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip())
    ]


def test_every_module_has_a_short_docstring() -> None:
    missing, long = [], []
    for path in _modules():
        name = str(path.relative_to(ROOT))
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if doc is None:
            missing.append(name)
        elif len(doc.splitlines()) > MAX_LINES:
            long.append(f"{name}: {len(doc.splitlines())} lines")

    assert len(_modules()) > 100
    assert missing == []
    assert long == []


def test_every_schema_class_has_a_docstring() -> None:
    undocumented = []
    checked = 0
    for module_name in SCHEMA_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            # Parametrized generics (`ListEnvelope[Any]`) are made by pydantic, not written.
            if (
                inspect.isclass(value)
                and issubclass(value, BaseModel)
                and value.__module__ == module_name
                and "[" not in value.__name__
            ):
                checked += 1
                if not (value.__dict__.get("__doc__") or "").strip():
                    undocumented.append(f"{module_name}.{name}")

    assert checked > 50
    assert undocumented == []
