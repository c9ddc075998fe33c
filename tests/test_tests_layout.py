"""The tests stay findable: each beside what it tests, each on the shared app.

A test file sits in the folder that mirrors its package (tests/http/ for
app/http/), or at the top when it checks an `app/` root module or the
repository as a whole; a few folders hold tests of the running system rather
than of one package. An app built per module is slower and keeps state the
shared one resets, so only tests of building, wiring or serving an app call
`create_app` themselves; tests of a setting use the `settings_app` fixture.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
# Whole-system tests (a real browser, faults, the soak) and the fuzzing runner.
NOT_A_PACKAGE = {"browser", "system", "contract", "support"}
# Tests of create_app itself, or of an app that must exist at import time.
MAY_CALL_CREATE_APP = {
    "conftest.py",
    "test_wiring.py",
    "api/test_openapi.py",
    "routers/test_editorial_auth.py",
    "routers/test_bad_input.py",
    "browser/test_widget_browser.py",
    "support/slow_app.py",
}


def _package(folder: Path) -> Path | None:
    """The code folder a tests folder mirrors: tests/X/Y is app/X/Y or X/Y."""
    relative = folder.relative_to(TESTS)
    for candidate in (ROOT / "app" / relative, ROOT / relative):
        if candidate.is_dir() and candidate.resolve() != TESTS:
            return candidate
    return None


def test_every_test_folder_mirrors_a_package() -> None:
    folders = {path.parent for path in TESTS.rglob("test_*.py")} - {TESTS}
    strays = [
        str(folder.relative_to(ROOT))
        for folder in sorted(folders)
        if folder.relative_to(TESTS).parts[0] not in NOT_A_PACKAGE and _package(folder) is None
    ]

    assert not strays, f"test folders that mirror no package under app/ or the root: {strays}"


def test_only_tests_of_building_an_app_call_create_app() -> None:
    callers = {
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("*.py")
        if re.search(r"\bcreate_app\(", path.read_text(encoding="utf-8"))
    }

    assert callers - {"test_tests_layout.py"} <= MAY_CALL_CREATE_APP, (
        "take the `client`/`app` fixture, or `settings_app` to test a setting: "
        f"{sorted(callers - MAY_CALL_CREATE_APP - {'test_tests_layout.py'})}"
    )
