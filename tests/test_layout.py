"""The layout stays navigable: a small app/ root and no module too long to read whole.

Issue 14's limits (at most 8 root modules, none over 350 lines) are checked here
so that a growing feature is split into named modules rather than one drawer.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 350
MAX_ROOT_MODULES = 8


def test_the_app_root_keeps_the_shell_only() -> None:
    modules = sorted(path.name for path in (ROOT / "app").glob("*.py"))
    assert len(modules) <= MAX_ROOT_MODULES, modules


def test_no_module_in_app_is_over_the_line_limit() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in (ROOT / "app").rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"
