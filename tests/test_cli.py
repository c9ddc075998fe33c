"""The `treatments` console script, run as an operator runs it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TREATMENTS = Path(sys.executable).with_name("treatments")


def run(cwd: Path, *args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [str(TREATMENTS), *args],
        cwd=cwd,  # away from the repository, so no developer's .env is read
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_the_console_script_is_installed() -> None:
    assert TREATMENTS.is_file(), f"{TREATMENTS} missing: run `make install`"


def test_help_lists_the_commands(tmp_path: Path, sqlite_url: str) -> None:
    result = run(tmp_path, "--help", database_url=sqlite_url)

    assert result.returncode == 0, result.stderr
    for command in ("serve", "migrate", "seed"):
        assert command in result.stdout


def test_migrate_then_seed_twice_creates_only_once(tmp_path: Path, sqlite_url: str) -> None:
    migrated = run(tmp_path, "migrate", database_url=sqlite_url)
    first = run(tmp_path, "seed", database_url=sqlite_url)
    second = run(tmp_path, "seed", database_url=sqlite_url)

    assert migrated.returncode == 0, migrated.stderr
    assert "migrated to head" in migrated.stdout
    assert first.returncode == 0, first.stderr
    created = re.search(r"seed: (\d+) created", first.stdout)
    assert created is not None, first.stdout
    assert int(created.group(1)) > 0
    assert second.returncode == 0, second.stderr
    assert re.search(r"seed: 0 created, [1-9]\d* already present", second.stdout), second.stdout


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("mysql://x", "DATABASE_URL must be"),
        ("postgresql://nobody@127.0.0.1:1/nothing", "database error"),
    ],
    ids=["unsupported-scheme", "unreachable-server"],
)
@pytest.mark.parametrize("command", ["migrate", "seed"])
def test_a_bad_database_url_fails_with_one_line_and_no_traceback(
    tmp_path: Path, command: str, database_url: str, expected: str
) -> None:
    result = run(tmp_path, command, database_url=database_url)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
