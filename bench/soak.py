"""Soak the product: mixed reads and writes for a bounded time (see bench/README.md).

Recreates its own PostgreSQL database (`tca_soak` by default), migrates,
seeds and makes an editor and a publisher key with the operator's CLI,
starts `treatments serve --workers 2 --no-access-log` on loopback in its own
process group, warms up, then loads it with public reads and editorial
writes for --duration seconds while sampling each server process's RSS and
the database's connections. Prints a report and a verdict, writes the report
as JSON under bench/results/, and exits 1 when the verdict is a failure.
"""

import argparse
import asyncio
import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import dbprep
import procs
import report
import soakcheck
import soakload
from sqlalchemy import make_url

from app.config import Settings, normalize_database_url
from app.http import cold_reads as document_store

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
CLI = str(Path(sys.executable).with_name("treatments"))
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LOOPBACK = {"127.0.0.1", "localhost", "::1", None}
NO_RATE_LIMIT = (
    "RATE_LIMIT_ENABLED=false: the limiter is on by default (600/minute per IP) and "
    "would answer 429 to a soak that comes from one loopback address"
)


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--duration", type=float, default=300.0, help="seconds of measured load (300)")
    add("--warmup", type=float, default=15.0, help="seconds of load before the start sample (15)")
    add("--concurrency", type=int, default=32, help="requests in flight (32)")
    add("--write-ratio", type=float, default=0.1, help="share of writes (0.1)")
    add("--workers", type=int, default=2, help="uvicorn workers (2)")
    add("--sample-every", type=float, default=30.0, help="seconds between samples (30)")
    add("--rss-growth-mb", type=float, default=20.0, help="RSS growth limit per process (20)")
    add("--rss-growth-pct", type=float, default=15.0, help="... or this percent if larger (15)")
    add("--database-url", default=ADMIN_URL, help="the admin connection (loopback only)")
    add("--database-name", default="tca_soak", help="recreated; must start with tca_soak")
    add("--drop-database", action="store_true", help="drop the soak database at the end")
    add("--output", type=Path, help="the JSON report (default bench/results/soak-<date>.json)")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"tca_soak[a-z0-9_]{0,40}", args.database_name):
        parser.error("--database-name must start with tca_soak (lower case, digits, _)")
    url = make_url(normalize_database_url(args.database_url))
    if url.get_backend_name() != "postgresql" or url.host not in LOOPBACK:
        parser.error("--database-url must be a PostgreSQL server on loopback")
    if args.duration <= 0 or args.warmup < 0 or args.concurrency < 1:
        parser.error("--duration and --concurrency must be positive, --warmup not negative")
    if not 0 <= args.write_ratio <= 1:
        parser.error("--write-ratio must be between 0 and 1")
    return args


def pool_limits(args: argparse.Namespace, url: str) -> soakcheck.Limits:
    """The pool size as the server will read it: environment, `.env`, else the defaults."""
    server = Settings(database_url=url)
    return soakcheck.Limits(
        rss_growth_mb=args.rss_growth_mb,
        rss_growth_pct=args.rss_growth_pct,
        workers=args.workers,
        pool_size=server.db_pool_size,
        max_overflow=server.db_max_overflow,
        store_connections=document_store.PG_CONNECTIONS if server.document_store else 0,
    )


def prepare(args: argparse.Namespace) -> tuple[str, str, str]:
    """A fresh, migrated, seeded database and an editor and a publisher key."""
    print(f"recreating database {args.database_name}; migrate, seed, keys", flush=True)
    url = dbprep.fresh_postgres(args.database_url, args.database_name)
    dbprep.run_cli(url, "migrate")
    dbprep.run_cli(url, "seed")

    def key(role: str) -> str:
        created = dbprep.run_cli(url, "keys", "create", "--role", role, "--name", f"soak {role}")
        return created.strip().splitlines()[-1]

    # Editors write drafts and reviews; publishing, unpublishing and deleting need a publisher.
    with ThreadPoolExecutor(2) as pool:
        editor, publisher = pool.map(key, ["editor", "publisher"])
    return url, editor, publisher


def wait_for_workers(log: Path, workers: int, timeout: float = 180) -> None:
    """Until every worker has logged its startup; a loaded machine can take a while."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count("Application startup complete") >= workers:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{workers} workers did not start within {timeout:.0f} s; see {log}")


def print_sample(sample: dict[str, Any], summary: dict[str, Any] | None) -> None:
    rss = " ".join(f"{p['role']} {p['rss_mb']:.1f}" for p in sample["processes"])
    conns = " ".join(f"{k} {v}" for k, v in sample["connections"].items())
    done = ""
    if summary is not None:
        done = f"{summary['requests']} requests, {len(summary['failures'])} failure kinds; "
    print(f"  [{sample['label']:>6} t={sample['t_seconds']:6.1f}s] {done}"
          f"RSS MB: {rss}; pg connections: {conns}", flush=True)  # fmt: skip


def soak(args: argparse.Namespace, url: str, editor: str, publisher: str) -> dict[str, Any]:
    port = procs.free_port()
    base = f"http://127.0.0.1:{port}"
    log = RESULTS / f"{args.database_name}-server.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": url, "RATE_LIMIT_ENABLED": "false"}
    command = [CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(args.workers), "--no-access-log"]
    print(f"starting {' '.join(command[1:])} ({NO_RATE_LIMIT})", flush=True)
    samples: list[dict[str, Any]] = []
    with procs.Processes() as processes:
        server = processes.start(command, env=env, log=log)
        procs.wait_ready(f"{base}/healthz", server, log, timeout=180)
        wait_for_workers(log, args.workers)
        sampler = soakcheck.Sampler(server.pid, args.database_url, args.database_name)
        try:
            print(
                f"warm-up {args.warmup:g} s, then {args.duration:g} s at {args.concurrency} "
                f"concurrent requests, {args.write_ratio:.0%} writes",
                flush=True,
            )
            warm, run = asyncio.run(_load(args, base, editor, publisher, sampler, samples))
            samples.append(sampler.sample("end"))
            print_sample(samples[-1], soakcheck.summarize(run))
        finally:
            sampler.close()
        server_alive = server.poll() is None
    restarts = soakcheck.worker_restarts(log.read_text(errors="replace"))
    return {
        "worker_restarts": restarts,
        "warm": soakcheck.summarize(warm),
        "run": soakcheck.summarize(run),
        "samples": samples,
        "server_alive_at_end": server_alive,
    }


async def _load(
    args: argparse.Namespace,
    base: str,
    editor: str,
    publisher: str,
    sampler: soakcheck.Sampler,
    samples: list[dict[str, Any]],
) -> tuple[soakload.Stats, soakload.Stats]:
    periodic: list[asyncio.Task[None]] = []
    stats_of_run: list[soakload.Stats] = []

    async def every() -> None:
        while True:
            await asyncio.sleep(args.sample_every)
            samples.append(await asyncio.to_thread(sampler.sample, "during"))
            print_sample(
                samples[-1], soakcheck.summarize(stats_of_run[0]) if stats_of_run else None
            )

    async def on_measuring(stats: soakload.Stats) -> None:
        samples.append(await asyncio.to_thread(sampler.sample, "start"))
        print_sample(samples[-1], None)
        stats_of_run.append(stats)
        periodic.append(asyncio.create_task(every()))

    try:
        return await soakload.run(
            base,
            editor=editor,
            publisher=publisher,
            concurrency=args.concurrency,
            write_ratio=args.write_ratio,
            warmup=args.warmup,
            seconds=args.duration,
            on_measuring=on_measuring,
        )
    finally:
        for task in periodic:
            task.cancel()


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def print_report(result: dict[str, Any], reasons: list[str]) -> None:
    run, warm = result["run"], result["warm"]
    print(f"\n## soak: {run['seconds']:g} s measured after {warm['seconds']:g} s warm-up")
    print(f"requests: {run['requests']} ({run['requests_per_second']:.1f} req/s)")
    print("status codes: " + ", ".join(f"{k} {v}" for k, v in run["statuses"].items()))
    print(f"stale If-Match (412, expected between concurrent editors): {run['stale_if_match_412']}")
    print(f"failures (5xx, connection errors): {run['failures'] or 'none'}")
    print(f"unexpected answers: {run['unexpected'] or 'none'}")
    for sample in warm["error_samples"] + run["error_samples"]:
        print(f"  error: {sample}")
    if warm["failures"] or warm["unexpected"]:
        print(f"during warm-up: failures {warm['failures']}, unexpected {warm['unexpected']}")
    rows = [
        [name, data["count"], ms(data["p50_ms"]), ms(data["p99_ms"])]
        for name, data in run["latency"].items()
    ]
    print("\nlatency, measured in the client (ms):")
    print(report.table(["requests", "count", "p50", "p99"], rows))
    print("\nby operation:")
    print(
        report.table(
            ["operation", "answers"],
            [
                [op, ", ".join(f"{k} {v}" for k, v in c.items())]
                for op, c in run["by_operation"].items()
            ],
        )
    )
    print("\nRSS (VmRSS, MB) of the server's processes, after warm-up and at the end:")
    print(
        report.table(
            ["process", "pid", "start", "end", "growth", "limit"],
            [
                [r["role"], r["pid"], r["start_mb"], r["end_mb"], r["growth_mb"], r["limit_mb"]]
                for r in result["rss"]
            ],
        )
    )
    conns = result["connections"]
    series = ", ".join(str(s["connections"]["total"]) for s in result["samples"])
    print(
        f"\npg_stat_activity connections to the soak database: start {conns['start']}, "
        f"peak {conns['peak']}, end {conns['end']} (samples: {series}); ceiling "
        f"{conns['ceiling']} (workers x (pool + overflow + LISTEN)), growth limit "
        f"{conns['growth_limit']} (one pool)"
    )
    print(f"worker restarts by uvicorn's supervisor: {result['worker_restarts']}")
    print(f"load generator CPU: {result['client_cpu_seconds']:.1f} s over the whole run")
    print(f"load average at start {result['machine']['load_average_at_start']}, "
          f"at end {result['machine']['load_average_at_end']}")  # fmt: skip
    if reasons:
        print("\nVERDICT: FAIL")
        for reason in reasons:
            print(f"  - {reason}")
    else:
        print("\nVERDICT: PASS (no 5xx or connection errors, RSS and connections steady)")


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    RESULTS.mkdir(exist_ok=True)
    header = report.host()
    print("# Treatment Content API soak")
    print(" · ".join(f"{key}: {value}" for key, value in header.items()), flush=True)
    try:
        url, editor, publisher = prepare(args)
        limits = pool_limits(args, url)
        result = soak(args, url, editor, publisher)
    finally:
        if args.drop_database:
            dbprep.drop_postgres(args.database_url, args.database_name)
    header["load_average_at_end"] = report.load_average()
    reasons, rows, connections = soakcheck.verdict(
        result["warm"], result["run"], result["samples"], limits, result["worker_restarts"]
    )
    if not result["server_alive_at_end"]:
        reasons.append("the server exited before the soak ended")
    result |= {
        "machine": header,
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "server": {"workers": args.workers, "rate_limit_enabled": False, "note": NO_RATE_LIMIT},
        "limits": vars(limits) | {"connection_ceiling": limits.connection_ceiling},
        "rss": rows,
        "connections": connections,
        "client_cpu_seconds": round(time.process_time(), 1),
        "verdict": {"passed": not reasons, "reasons": reasons},
    }
    print_report(result, reasons)
    stamp = header["date"].replace(":", "").replace("+0000", "Z")
    out = args.output or RESULTS / f"soak-{stamp}.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"report written to {out}")
    return 1 if reasons else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: the server the soak started has been stopped", file=sys.stderr)
        sys.exit(130)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
