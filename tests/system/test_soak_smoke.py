"""bench/soak.py end to end for a few seconds, so the soak cannot rot.

The soak needs PostgreSQL (it recreates its own database on the server); on
the SQLite run of the suite this test is skipped.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import make_url

from app.config import normalize_database_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_soak_passes_and_writes_its_report(tmp_path: Path) -> None:
    configured = normalize_database_url(os.environ.get("DATABASE_URL", ""))
    if not configured.startswith("postgresql"):
        pytest.skip("the soak runs on PostgreSQL only")
    server = make_url(configured).set(database="postgres").render_as_string(hide_password=False)
    output = tmp_path / "soak.json"
    command = [
        *(sys.executable, str(ROOT / "bench" / "soak.py")),
        *("--duration", "8", "--warmup", "2", "--sample-every", "3", "--concurrency", "8"),
        *("--database-url", server, "--database-name", f"tca_soak_test_{uuid.uuid4().hex[:8]}"),
        *("--drop-database", "--output", str(output)),
        # Two seconds of warm-up leave the workers still filling their caches and
        # compiling statements, so RSS growth means nothing here; 5-minute runs judge it.
        *("--rss-growth-mb", "1000"),
    ]

    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )

    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "RATE_LIMIT_ENABLED=false" in done.stdout
    assert "VERDICT: PASS" in done.stdout
    report = json.loads(output.read_text())
    assert report["verdict"] == {"passed": True, "reasons": []}
    run = report["run"]
    assert run["requests"] > 0
    assert run["failures"] == {}
    assert set(run["latency"]) == {"all", "read", "write"}
    assert {"p50_ms", "p99_ms", "count"} <= set(run["latency"]["read"])
    assert any(op.startswith("write: ") for op in run["by_operation"])
    assert [p["role"] for p in report["rss"]].count("worker") == 2
    assert {"start", "peak", "end", "ceiling", "growth_limit"} <= set(report["connections"])
    assert report["samples"][0]["label"] == "start"
    assert report["samples"][-1]["label"] == "end"
