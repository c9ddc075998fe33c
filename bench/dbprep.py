"""A fresh database per scale, built with the operator's own CLI.

SQLite: a file under bench/results/, deleted first. PostgreSQL (--database-url
names a server): a database `tca_bench_<scale>` on it (`tca_soak` for the
soak), dropped and created again, so neither ever writes into a database
someone uses.
"""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from app.config import normalize_database_url

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("treatments"))
LARGE = ["--treatments", "1000", "--faqs", "100000", "--doctors", "5000"]


def fresh_postgres(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server; the URL of the new database."""
    url = make_url(normalize_database_url(server_url))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_postgres(server_url: str, name: str) -> None:
    url = make_url(normalize_database_url(server_url))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def run_cli(url: str, *args: str) -> str:
    """`treatments ARGS` against `url`; its standard output, or RuntimeError with stderr."""
    done = subprocess.run(
        [CLI, *args],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"treatments {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _fresh_sqlite(results: Path, scale: str) -> str:
    path = results / f"{scale}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def prepare(scale: str, *, results: Path, server_url: str | None) -> str:
    """Migrate and seed a fresh database; at `large` add the synthetic items too."""
    url = (
        fresh_postgres(server_url, f"tca_bench_{scale}")
        if server_url
        else _fresh_sqlite(results, scale)
    )
    steps = [["migrate"], ["seed"]] + ([["generate", *LARGE]] if scale == "large" else [])
    for step in steps:
        print(f"  treatments {' '.join(step)}", flush=True)
        output = run_cli(url, *step)
        if step[0] == "generate":
            print(f"    {output.strip().splitlines()[-1]}", flush=True)
    return url
