"""`treatments export` and `treatments import`, run as an operator runs them."""

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from app.db import Database
from tests.conftest import empty_tables
from tests.support.transfer import export_bytes

pytestmark = pytest.mark.slow

TREATMENTS = Path(sys.executable).with_name("treatments")


def run(cwd: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(TREATMENTS), *args],
        cwd=cwd,  # away from the repository, so no developer's .env is read
        env={**os.environ, "DATABASE_URL": database_url},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_help_describes_both_commands(tmp_path: Path, database_url: str) -> None:
    listing = run(tmp_path, database_url, "--help").stdout.decode()
    export_help = run(tmp_path, database_url, "export", "--help").stdout.decode()
    import_help = run(tmp_path, database_url, "import", "--help").stdout.decode()

    assert "export" in listing and "import" in listing
    assert "--output" in export_help
    assert "--batch-size" in import_help and "--mode" in import_help and "upsert" in import_help


def test_export_to_stdout_and_to_a_file_give_the_service_bytes(
    tmp_path: Path, database_url: str, seeded: Database
) -> None:
    expected = export_bytes(seeded)
    target = tmp_path / "content.jsonl"

    to_stdout = run(tmp_path, database_url, "export")
    to_file = run(tmp_path, database_url, "export", "--output", str(target))

    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout == expected
    assert to_file.returncode == 0, to_file.stderr
    assert target.read_bytes() == expected
    assert not (tmp_path / "content.jsonl.partial").exists()


def test_import_reports_the_bad_line_and_exits_non_zero(
    tmp_path: Path, database_url: str, seeded: Database
) -> None:
    lines = export_bytes(seeded).splitlines()
    bad = orjson.loads(lines[16])
    bad["document"]["answer"] = 7
    lines[16] = orjson.dumps(bad)
    source = tmp_path / "content.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    empty_tables(seeded)

    result = run(tmp_path, database_url, "import", str(source), "--batch-size", "5")

    assert result.returncode == 1
    assert f"line 17: faq/{bad['slug']}: document: ".encode() in result.stderr
    assert f"import: {len(lines) - 2} items imported (0 replaced), 1 rejected".encode() in (
        result.stdout
    )


def test_import_of_a_missing_file_is_one_line(tmp_path: Path, database_url: str) -> None:
    result = run(tmp_path, database_url, "import", str(tmp_path / "nope.jsonl"))

    assert result.returncode == 1
    assert result.stderr.decode().startswith("error: ")
    assert len(result.stderr.decode().strip().splitlines()) == 1
