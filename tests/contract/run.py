"""Contract fuzzing: schemathesis against the product's own /openapi.json.

`make fuzz` (and `.ci/run`, on SQLite and on PostgreSQL) runs this. It builds a
throw-away database the way an operator would (`treatments migrate`, `seed`,
`keys create --role admin`), serves it with `treatments serve` on a free
loopback port, and runs `st run` over every operation with every schemathesis
check, sending the admin key so the write routes are exercised too. The
settings behind the checks' expected statuses are in schemathesis.toml beside
this file, each with its reason. Exit status: schemathesis's own (non-zero on
any failure), or 1 when the set-up fails.

    .venv/bin/python tests/contract/run.py [--database-url URL] [--max-examples N]
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
CONFIG = HERE / "schemathesis.toml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _database(url: str | None, workdir: Path) -> Iterator[str]:
    """A fresh database: a file under `workdir`, or a new PostgreSQL database."""
    if not url or url.startswith("sqlite"):
        yield f"sqlite:///{workdir / 'fuzz.db'}"
        return
    name = f"tca_fuzz_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "treatments"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"treatments {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@contextmanager
def _server(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "treatments"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; its log:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261129, help="for a reproducible run")
    parser.add_argument("--workers", default="2")
    parser.add_argument("--report-dir", type=Path, default=None, help="keep st's JSON report")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tca-fuzz-"))
    try:
        with _database(args.database_url, workdir) as url:
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "ENVIRONMENT": "development",
                # Rate limiting stays on, high enough that the fuzzer's own burst
                # is served rather than mostly answered 429.
                "RATE_LIMIT_ANON": "100000/minute",
                "RATE_LIMIT_KEY": "100000/minute",
                # Webhook URLs the fuzzer invents must not be called.
                "WEBHOOK_WORKER_ENABLED": "false",
            }
            env.pop("REDIS_URL", None)
            _cli(env, "migrate")
            _cli(env, "seed")
            key = _cli(env, "keys", "create", "--role", "admin", "--name", "contract fuzzing")
            secret = key.strip().splitlines()[-1]
            log = workdir / "server.log"
            with _server(env, _free_port(), log) as base:
                command = [
                    str(BIN / "st"),
                    "--config-file",
                    str(CONFIG),
                    "run",
                    f"{base}/openapi.json",
                    "--header",
                    f"Authorization: Bearer {secret}",
                    "--max-examples",
                    str(args.max_examples),
                    "--seed",
                    str(args.seed),
                    "--workers",
                    args.workers,
                    "--output-sanitize",
                    "true",
                ]
                if args.report_dir is not None:
                    report_dir = args.report_dir.resolve()
                    command += ["--report", "json", "--report-dir", str(report_dir)]
                # In the throw-away directory: schemathesis keeps a cache of
                # past failures in its working directory and replays them.
                status = subprocess.run(command, env=env, cwd=workdir, check=False).returncode
            errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
            if errors:
                print(f"the server logged {len(errors)} traceback(s):\n{log.read_text()}")
                return status or 1
            return status
    finally:
        if os.environ.get("KEEP_FUZZ_DIR") is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
