"""Clients generated from the contract work unchanged.

A Python client (openapi-python-client) is generated from `app.openapi()` and
used against the real app served by uvicorn; TypeScript types (openapi-typescript)
must type-check the ten-line client in clients/typescript. A generator warning
is a failure: the fix belongs in the schema (app/api/openapi.py), not here.
"""

import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from app.db import Database
from tests.support.apps import SettingsApp

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TS_CLIENT = ROOT / "clients" / "typescript"
PACKAGE = "treatment_content_api_client"
IMMUNOTHERAPY_QUESTIONS = [
    "How long will I get immunotherapy?",
    "What should I expect after immunotherapy?",
    "What\u2019s the difference between immunotherapy and chemotherapy?",
]


def _write_spec(app: FastAPI, directory: Path) -> Path:
    spec = directory / "spec.json"
    spec.write_text(json.dumps(app.openapi(), indent=2), encoding="utf-8")
    return spec


def _run(command: list[str], cwd: Path, timeout: float = 300) -> str:
    """Run a generator or checker; fail with its output unless it exits 0."""
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{output}"
    return output


@pytest.fixture
def live_server(seeded: Database, settings_app: SettingsApp) -> Iterator[str]:
    """An app of its own under uvicorn on a free 127.0.0.1 port, with the seed loaded
    (a server runs the app on its own event loop, so not the shared one)."""
    app = settings_app()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    try:
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def python_client(app: FastAPI, tmp_path: Path) -> Iterator[Any]:
    """The generated package, imported; removed from sys.modules afterwards."""
    spec = _write_spec(app, tmp_path)
    # The default post hooks run ruff from PATH on the output; formatting is not under test.
    config = tmp_path / "config.yaml"
    # The generator has no reader for JSON Lines (the export stream); told to
    # treat it as bytes, it gives the export a typed file download.
    config.write_text(
        "post_hooks: []\n"
        "content_type_overrides:\n  application/x-ndjson: application/octet-stream\n",
        encoding="utf-8",
    )
    generator = Path(sys.executable).with_name("openapi-python-client")
    output = _run(
        [
            str(generator),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        cwd=tmp_path,
    )
    assert "Warning" not in output and "Error" not in output, output
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_generated_python_client_lists_by_type_and_fetches_faqs(
    python_client: Any, live_server: str
) -> None:
    list_treatments = importlib.import_module(f"{PACKAGE}.api.treatments.list_treatments")
    list_faqs = importlib.import_module(f"{PACKAGE}.api.treatments.list_treatment_faqs")
    models = importlib.import_module(f"{PACKAGE}.models")

    with python_client.Client(base_url=live_server, raise_on_unexpected_status=True) as client:
        page = list_treatments.sync(client=client, type_="immunotherapy")
        faqs = list_faqs.sync(client=client, slug="immunotherapy")
        missing = list_faqs.sync_detailed(client=client, slug="no-such-treatment")

    assert isinstance(page, models.TreatmentPage)
    assert isinstance(page.data[0], models.TreatmentRead)
    assert page.data[0].slug == "immunotherapy"
    assert page.meta.total == len(page.data) == 1
    assert isinstance(faqs, models.FaqPage)
    assert all(isinstance(faq, models.FaqRead) for faq in faqs.data)
    assert [faq.question for faq in faqs.data] == IMMUNOTHERAPY_QUESTIONS
    # Declared errors parse into the Problem model too.
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert missing.parsed.status == 404


def _npm_ci_if_needed() -> None:
    if not (TS_CLIENT / "node_modules").is_dir():
        _run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TS_CLIENT, timeout=600)


def test_typescript_types_from_the_contract_check_the_ten_line_client(
    app: FastAPI, tmp_path: Path
) -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed; CI has them (clients/typescript)")
    _npm_ci_if_needed()
    # A copy, so parallel runs never share a generated schema.d.ts.
    work = tmp_path / "typescript"
    work.mkdir()
    for name in ("package.json", "tsconfig.json", "client.ts"):
        shutil.copy(TS_CLIENT / name, work / name)
    os.symlink(TS_CLIENT / "node_modules", work / "node_modules")
    _write_spec(app, work)

    output = _run(
        ["npx", "--no", "--", "openapi-typescript", "spec.json", "-o", "schema.d.ts"], work
    )
    assert "warn" not in output.lower() and "error" not in output.lower(), output
    _run(["npx", "--no", "--", "tsc", "--noEmit", "-p", "tsconfig.json"], work)
