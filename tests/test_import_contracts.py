"""The layer contracts in pyproject.toml hold, and they catch a service that imports HTTP."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
    )


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    for package in ("app", "models", "routers"):
        shutil.copytree(
            ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return project


def test_the_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_a_service_importing_the_http_layer_breaks_the_build(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    paging = project / "app" / "services" / "paging.py"
    paging.write_text(paging.read_text() + "\nfrom app.http import problem  # noqa\n")
    result = _lint(project)
    assert result.returncode != 0
    assert "app.services is not allowed to import app.http" in result.stdout, result.stdout


def test_a_router_import_from_the_http_layer_breaks_the_build(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    cors = project / "app" / "http" / "cors.py"
    cors.write_text(cors.read_text() + "\nimport routers.health  # noqa\n")
    result = _lint(project)
    assert result.returncode != 0
    assert "app.http is not allowed to import routers" in result.stdout, result.stdout
