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


def test_serve_with_workers_does_not_make_them_rerun_the_cli(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Spawned workers must not import the whole CLI before answering uvicorn's health check.

    Under load that import outlasted the supervisor's 5 s wait, and every worker
    was killed and replaced before it served (found by bench/soak.py).
    """
    import multiprocessing.spawn
    import types

    import uvicorn
    from typer.testing import CliRunner

    from app.cli import cli

    script = types.ModuleType("__main__")
    script.__file__ = str(TREATMENTS)
    monkeypatch.setitem(sys.modules, "__main__", script)
    seen: dict[str, object] = {}

    def fake_run(app: str, **options: object) -> None:
        seen.update(options)
        seen["preparation"] = multiprocessing.spawn.get_preparation_data("worker")

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])

    assert result.exit_code == 0, result.output
    assert seen["workers"] == 2
    preparation = seen["preparation"]
    assert isinstance(preparation, dict)
    assert "init_main_from_path" not in preparation
    assert "init_main_from_name" not in preparation
