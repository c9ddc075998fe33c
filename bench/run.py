"""Benchmark the product beside a bare Starlette baseline (see bench/README.md).

For each scale and server: migrate and seed a fresh database, start the
product (1 worker, access log off, pinned to core 0 when there are two or
more), capture its detail document and start bare_app.py serving those bytes
beside it. Load each case with wrk (pinned to core 1) after a warm-up, in
rounds that begin with one run of the bare app, so the baseline is measured
across the same minutes as the cases. Then the same for the product with
RESPONSE_CACHE=off (the cold case: answered by the rendered-document store)
and again with the store off too (every request renders). Prints the tables
and writes them as JSON under bench/results/.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cache_fill
import dbprep
import pages
import procs
import report
import wrkload

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent
DETAIL = "/v1/treatments/immunotherapy"


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    conditional: bool = False
    cold: bool = False  # RESPONSE_CACHE=off: the in-memory cache is not there to help
    store: bool = True  # DOCUMENT_STORE; off with cold, every request is a full render


# The list and search match the same items at both scales, so a slowdown at
# scale measures query cost over bigger tables, not a bigger response.
CASES = [
    Case("detail", DETAIL),
    Case("detail 304", DETAIL, conditional=True),
    Case("faqs", f"{DETAIL}/faqs"),
    Case("list filtered", "/v1/treatments?type=immunotherapy&route=intravenous&condition=cancer"),
    Case("search", "/v1/search?q=immunotherapy"),
    Case("detail cold", DETAIL, cold=True),
    Case("detail uncached render", DETAIL, cold=True, store=False),
]


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="seed", help="seed, large or seed,large")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3, help="measured runs per case")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per case")
    parser.add_argument("--servers", default="uvicorn,granian")
    parser.add_argument("--database-url", help="a PostgreSQL server to use instead of SQLite")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 run of 3 s per case")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.runs, args.warmup = 3.0, 1, 2.0
    args.scales = [s for s in args.scale.split(",") if s]
    args.server_list = [s for s in args.servers.split(",") if s]
    if not set(args.scales) <= {"seed", "large"} or not args.scales:
        parser.error("--scale takes seed, large or seed,large")
    if not set(args.server_list) <= {"uvicorn", "granian"} or not args.server_list:
        parser.error("--servers takes uvicorn, granian or both")
    return args


def ensure_granian() -> bool:
    if (BIN / "granian").exists():
        return True
    print("granian is not in the venv; installing it with pip", flush=True)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "granian"]
    done = subprocess.run(pip, check=False)
    if done.returncode == 0 and (BIN / "granian").exists():
        return True
    print("granian could not be installed: its rows are skipped", flush=True)
    return False


def server_command(server: str, port: int, *, bare: bool) -> list[str]:
    where = ["--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-access-log"]
    if server == "granian":
        target = (
            ["--working-dir", str(BENCH), "bare_app:app"]
            if bare
            else ["--factory", "app.main:create_app"]
        )
        return [
            str(BIN / "granian"),
            "--interface",
            "asgi",
            *where,
            "--log-level",
            "warning",
            *target,
        ]
    if bare:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--app-dir",
            str(BENCH),
            *where,
            "--no-server-header",
            "--no-proxy-headers",
            "--log-level",
            "warning",
        ]
    return [str(BIN / "treatments"), "serve", *where]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, str | None]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers.get("ETag")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("ETag")


def load(
    url: str, args: argparse.Namespace, seconds: float, script: Path | None = None
) -> wrkload.WrkResult:
    return wrkload.run(
        url,
        connections=args.connections,
        seconds=seconds,
        pin=procs.pin(1),
        script=script,
        log=RESULTS / "wrk.log",
    )


def summarize(runs: list[wrkload.WrkResult]) -> dict[str, Any]:
    if not runs or not all(r.requests for r in runs):
        return {"rps": None, "note": "no response within a run; raise --duration"}
    return {
        "rps": statistics.median(r.requests_per_second for r in runs),
        "p50": statistics.median(r.p50_ms for r in runs),
        "p99": statistics.median(r.p99_ms for r in runs),
        "non_2xx": sum(r.non_2xx_3xx for r in runs),
        "errors": sum(r.socket_errors for r in runs),
    }


@dataclass
class Load:
    """One case to load: its row, URL and If-None-Match script; its runs go in `runs`."""

    row: dict[str, Any]
    url: str
    script: Path | None
    runs: list[wrkload.WrkResult]
    # Each run's req/s over the bare run that opened its round.
    paired: list[float] = field(default_factory=list)


class Bench:
    def __init__(self, args: argparse.Namespace, processes: procs.Processes) -> None:
        self.args = args
        self.processes = processes

    def start(self, server: str, name: str, env: dict[str, str], *, bare: bool = False) -> Any:
        port = procs.free_port()
        log = RESULTS / f"{name}.log"
        log.unlink(missing_ok=True)
        command = procs.pin(0) + server_command(server, port, bare=bare)
        process = self.processes.start(command, env=env, log=log)
        base = f"http://127.0.0.1:{port}"
        procs.wait_ready(f"{base}/healthz", process, log)
        return process, base

    def case_rows(
        self, base: str, cases: list[Case], etag: str | None, bare: Load
    ) -> list[dict[str, Any]]:
        """Each case warmed up, then measured in rounds: one bare run, then one
        run of every case, `--runs` times. The baseline is thus sampled across
        the same minutes as the cases, so a neighbour's load (a shared VM's
        steal time moved the bare route between 15,000 and 26,000 req/s from
        one run to the next) weighs on both sides of the ratio alike."""
        loads: list[Load] = []
        for case in cases:
            headers = {"If-None-Match": etag} if case.conditional and etag else {}
            status = fetch(base + case.path, headers)[0]
            row: dict[str, Any] = {"case": case.name, "probe": status, "rps": None, "note": ""}
            if case.conditional and not etag:
                row["note"] = "n/a (no ETag)"
                loads.append(Load(row, "", None, []))
                continue
            script = wrkload.header_script(RESULTS, "if-none-match", headers) if headers else None
            print(f"    {case.name} ({status}) warm-up ...", flush=True)
            load(base + case.path, self.args, self.args.warmup, script)
            loads.append(Load(row, base + case.path, script, []))
        measured = [item for item in loads if item.url]
        for round_ in range(1, self.args.runs + 1):
            print(f"    round {round_}/{self.args.runs}: bare, {len(measured)} case(s)", flush=True)
            # Every measured run follows a warm-up on its own server, so no run
            # pays for the switch from the other process (caches, wake-up).
            load(bare.url, self.args, self.args.warmup)
            baseline = load(bare.url, self.args, self.args.duration)
            bare.runs.append(baseline)
            for item in measured:
                load(item.url, self.args, self.args.warmup, item.script)
                run = load(item.url, self.args, self.args.duration, item.script)
                item.runs.append(run)
                if baseline.requests_per_second:
                    item.paired.append(run.requests_per_second / baseline.requests_per_second)
        for item in measured:
            item.row.update(summarize(item.runs))
            item.row["paired"] = statistics.median(item.paired) if item.paired else None
        return [item.row for item in loads]

    def server(self, server: str, scale: str, url: str) -> dict[str, Any]:
        # All load comes from one loopback address, which the per-IP rate limit
        # would (rightly) throttle; the benchmark measures the content path.
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RESPONSE_CACHE": "on",
            "RATE_LIMIT_ENABLED": "false",
            "ACCESS_LOG": "false",
        }
        prefix = f"{scale}-{server}"
        print(f"  {server}: product", flush=True)
        product, base = self.start(server, f"{prefix}-product", env)
        status, body, etag = fetch(base + DETAIL)
        if status != 200:
            raise RuntimeError(f"{DETAIL} answered {status}; is the seed loaded?")

        # The bare Starlette baseline runs beside the product, idle while a
        # case is loaded and loaded between them (see case_rows).
        print(f"  {server}: bare Starlette baseline, beside it", flush=True)
        body_file = RESULTS / f"{prefix}-detail.json"
        body_file.write_bytes(body)
        bare_process, bare_base = self.start(
            server, f"{prefix}-bare", {**env, "BENCH_BODY_FILE": str(body_file)}, bare=True
        )
        bare = Load({"case": "bare", "probe": fetch(bare_base + DETAIL)[0], "note": ""},
                    bare_base + DETAIL, None, [])  # fmt: skip
        load(bare.url, self.args, self.args.warmup)

        rows = self.case_rows(base, [c for c in CASES if not c.cold], etag, bare)
        rss = {"product": procs.peak_rss_mb(product.pid)}
        filled = None
        if scale == "large":
            print(f"  {server}: filling the response cache (every treatment's detail)", flush=True)
            filled = cache_fill.fill(base)
            rss["cache full"] = procs.peak_rss_mb(product.pid)
        self.processes.stop(product)

        for store, label in ((True, "cold"), (False, "render")):
            store_env = "on" if store else "off"
            print(f"  {server}: RESPONSE_CACHE=off DOCUMENT_STORE={store_env}", flush=True)
            cold_env = {**env, "RESPONSE_CACHE": "off", "DOCUMENT_STORE": store_env}
            cold, base = self.start(server, f"{prefix}-{label}", cold_env)
            cases = [c for c in CASES if c.cold and c.store == store]
            rows += self.case_rows(base, cases, etag, bare)
            rss[label] = procs.peak_rss_mb(cold.pid)
            self.processes.stop(cold)

        bare.row.update(summarize(bare.runs))
        bare.row["paired"] = 1.0
        rss["bare"] = procs.peak_rss_mb(bare_process.pid)
        self.processes.stop(bare_process)
        return {"rows": [bare.row, *rows], "rss_mb": rss, "detail_bytes": len(body),
                "cache_fill": filled}  # fmt: skip


def sql_counts(url: str) -> dict[str, list[int]]:
    paths = [case.path for case in CASES if not case.conditional]
    env = {**os.environ, "RESPONSE_CACHE": "off", "DOCUMENT_STORE": "on"}
    command = [sys.executable, str(BENCH / "sqlcount.py"), url, *dict.fromkeys(paths)]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"sqlcount failed: {done.stderr.strip()[-2000:]}")
    counts: dict[str, list[int]] = json.loads(done.stdout)
    return counts


def page_times(url: str) -> dict[str, list[float]]:
    command = [sys.executable, str(BENCH / "pages.py"), url]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pages failed: {done.stderr.strip()[-2000:]}")
    times: dict[str, list[float]] = json.loads(done.stdout)
    return times


def print_scale(scale: str, result: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"\n## scale: {scale} ({args.connections} connections, "
        f"median of {args.runs} x {args.duration:g} s after {args.warmup:g} s warm-up)"
    )
    counts = result["sql"]
    paths = dict.fromkeys(case.path for case in CASES if not case.conditional and not case.cold)
    print("\nSQL statements per request (response cache off, in-process):")
    print(
        report.table(
            ["path", "status", "render (store off)", "document-store hit"],
            [[path, *counts[path]] for path in paths if path in counts],
        )
    )
    print(f"\nFirst and last page of {pages.LIMIT} items (in-process render, median of "
          f"{pages.RUNS}; response cache and document store off):")  # fmt: skip
    rows = [
        [path, int(total), f"{first:.1f}", f"{last:.1f}", f"{last / first:.2f}x"]
        for path, (total, first, last) in result["pages"].items()
    ]
    print(report.table(["list", "total", "first page ms", "last page ms", "last / first"], rows))
    for server, data in result["servers"].items():
        bare_rps = data["rows"][0]["rps"]
        print(f"\n### {server} (detail document {data['detail_bytes']} bytes)")
        print(report.case_table(data["rows"], bare_rps))
        rss = ", ".join(f"{name} {mb:.1f} MB" for name, mb in data["rss_mb"].items())
        print(f"peak RSS (VmHWM, largest process of the server): {rss}")
        filled = data.get("cache_fill")
        if filled:
            print(
                f"cache fill: {filled['requests']} distinct details "
                f"({filled['not_200']} not 200) in {filled['seconds']:.1f} s; the cache then "
                f"held {filled['entries']} entries, {filled['cached_mb']:.1f} MB counted"
            )


def main() -> int:
    args = options()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "wrk.log").unlink(missing_ok=True)
    wrkload.ensure_wrk()
    servers = [s for s in args.server_list if s != "granian" or ensure_granian()]
    header = report.machine()
    print("# Treatment Content API benchmark")
    print(" · ".join(f"{key}: {value}" for key, value in header.items()), flush=True)
    results: dict[str, Any] = {"machine": header, "scales": {}}
    with procs.Processes() as processes:
        bench = Bench(args, processes)
        for scale in args.scales:
            print(f"\npreparing {scale} database", flush=True)
            url = dbprep.prepare(scale, results=RESULTS, server_url=args.database_url)
            result: dict[str, Any] = {"sql": sql_counts(url), "servers": {}}
            result["pages"] = page_times(url)
            for server in servers:
                result["servers"][server] = bench.server(server, scale, url)
            results["scales"][scale] = result
    results["machine"]["load_average_at_end"] = report.load_average()
    for scale, result in results["scales"].items():
        print_scale(scale, result, args)
    if {"seed", "large"} <= set(results["scales"]):
        for server in servers:
            print(f"\n## large vs seed scale, {server}")
            seed_rows = results["scales"]["seed"]["servers"][server]["rows"]
            large_rows = results["scales"]["large"]["servers"][server]["rows"]
            print(report.scale_table(seed_rows, large_rows))
    print(
        f"\nload average at start {header['load_average_at_start']}, "
        f"at end {results['machine']['load_average_at_end']}"
    )
    stamp = header["date"].replace(":", "").replace("+0000", "Z")
    out = RESULTS / f"bench-{stamp}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: every server the benchmark started has been stopped", file=sys.stderr)
        sys.exit(130)
