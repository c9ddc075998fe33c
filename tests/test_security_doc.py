"""SECURITY.md cites tests as evidence; every one it names must exist."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITATION = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_test_security_md_cites_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    citations = CITATION.findall(text)
    assert len(citations) > 20, "SECURITY.md should cite its tests as `tests/file.py::name`"
    missing = []
    for file, name in citations:
        path = ROOT / file
        if not path.is_file():
            missing.append(file)
        elif name and name not in _test_names(path):
            missing.append(f"{file}::{name}")
    assert missing == []


def test_no_item_is_left_marked_as_belonging_to_another_branch() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "branch" not in text.lower()
