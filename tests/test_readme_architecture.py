"""The README's architecture tree is the real tree: every package and root module, no ghosts."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1]
    return section.split("```", 2)[1]


def _listed() -> tuple[set[str], set[str]]:
    """(folders, app root modules) the tree names."""
    folders: set[str] = set()
    modules: set[str] = set()
    parent = ""
    for line in _tree().splitlines():
        top = re.match(r"^([a-z_]+/(?:[a-z_]+/)?)\s", line + " ")
        nested = re.match(r"^  ([a-z_]+/)\s", line)
        if top:
            parent = top.group(1)
            folders.add(parent)
        elif nested:
            folders.add(parent + nested.group(1))
        if parent == "app/":
            modules |= set(re.findall(r"\b([a-z_]+\.py)\b", line.split("  ", 2)[-1] + " " + line))
    return folders, modules


def test_every_listed_folder_exists() -> None:
    folders, _ = _listed()
    missing = sorted(folder for folder in folders if not (ROOT / folder).is_dir())
    assert not missing, f"README architecture names folders that do not exist: {missing}"


def test_every_package_of_app_is_listed() -> None:
    folders, _ = _listed()
    packages = {
        str(init.parent.relative_to(ROOT)) + "/" for init in (ROOT / "app").rglob("__init__.py")
    }
    unlisted = sorted(packages - folders)
    assert not unlisted, f"README architecture does not name these packages: {unlisted}"


def test_the_app_root_modules_are_exactly_the_listed_ones() -> None:
    _, modules = _listed()
    actual = {path.name for path in (ROOT / "app").glob("*.py")} - {"__init__.py"}
    assert modules == actual
    assert len(actual) + 1 <= 8, "the app/ root keeps the shell only: at most 8 modules"
