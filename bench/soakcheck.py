"""What the soak watches on the server side, and the verdict it draws.

A sample is the resident set (VmRSS) of every process in the server's tree
and the soak database's rows in `pg_stat_activity` by state. The verdict
fails on any 5xx or connection error, an answer the load did not expect, a
process that grew beyond the RSS limit between the post-warm-up sample and
the end, a worker that died or was replaced, or more connections than the
pools may hold.
"""

import math
import re
import time
from dataclasses import dataclass
from typing import Any

import procs
from soakload import Stats
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from app.config import normalize_database_url


@dataclass(frozen=True)
class Limits:
    rss_growth_mb: float
    rss_growth_pct: float
    workers: int
    pool_size: int
    max_overflow: int
    store_connections: int = 0

    @property
    def connection_ceiling(self) -> int:
        """Every worker's full pool, the LISTEN connection each keeps open and
        the document store's lookup connections (app/http/pg_reader.py)."""
        return self.workers * (self.pool_size + self.max_overflow + 1 + self.store_connections)

    def rss_limit_mb(self, start_mb: float) -> float:
        return max(self.rss_growth_mb, start_mb * self.rss_growth_pct / 100)


class Sampler:
    def __init__(self, master_pid: int, admin_url: str, database: str) -> None:
        self.master_pid = master_pid
        self.database = database
        url = make_url(normalize_database_url(admin_url))
        self.admin = create_engine(url, poolclass=NullPool)
        self.began = time.monotonic()

    def label(self, pid: int) -> str:
        if pid == self.master_pid:
            return "master"
        command = procs.command_line(pid)
        if "resource_tracker" in command:
            return "resource tracker"
        return "worker" if "spawn_main" in command else f"other ({command[:40]})"

    def connections(self) -> dict[str, int]:
        query = text(
            "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
            "WHERE datname = :name GROUP BY 1"
        )
        with self.admin.connect() as conn:
            rows = conn.execute(query, {"name": self.database}).all()
        by_state = {str(state): int(count) for state, count in rows}
        return {"total": sum(by_state.values()), **by_state}

    def sample(self, label: str) -> dict[str, Any]:
        processes = [
            {"pid": pid, "role": self.label(pid), "rss_mb": round(procs.rss_mb(pid), 1)}
            for pid in procs.tree(self.master_pid)
        ]
        return {
            "label": label,
            "t_seconds": round(time.monotonic() - self.began, 1),
            "processes": processes,
            "connections": self.connections(),
        }

    def close(self) -> None:
        self.admin.dispose()


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000


def summarize(stats: Stats) -> dict[str, Any]:
    seconds = (stats.ended or time.monotonic()) - stats.started
    total = sum(stats.statuses.values())
    everything = stats.latencies["read"] + stats.latencies["write"]
    latency = {
        name: {
            "count": len(values),
            "p50_ms": percentile(values, 0.5),
            "p99_ms": percentile(values, 0.99),
        }
        for name, values in (("all", everything), *stats.latencies.items())
    }
    failures = {
        outcome: count
        for outcome, count in stats.statuses.items()
        if outcome.startswith("error") or int(outcome) >= 500
    }
    return {
        "seconds": round(seconds, 1),
        "requests": total,
        "requests_per_second": round(total / seconds, 1) if seconds else 0.0,
        "statuses": dict(sorted(stats.statuses.items())),
        "stale_if_match_412": stats.statuses.get("412", 0),
        "failures": failures,
        "unexpected": dict(stats.unexpected),
        "error_samples": stats.error_samples,
        "latency": latency,
        "by_operation": {
            op: dict(sorted(c.items())) for op, c in sorted(stats.by_operation.items())
        },
    }


def rss_rows(start: dict[str, Any], end: dict[str, Any], limits: Limits) -> list[dict[str, Any]]:
    ended = {p["pid"]: p for p in end["processes"]}
    rows = []
    for process in start["processes"]:
        after = ended.get(process["pid"])
        row: dict[str, Any] = {**process, "start_mb": process["rss_mb"]}
        del row["rss_mb"]
        row["end_mb"] = after["rss_mb"] if after else None
        row["growth_mb"] = round(after["rss_mb"] - process["rss_mb"], 1) if after else None
        row["limit_mb"] = round(limits.rss_limit_mb(process["rss_mb"]), 1)
        rows.append(row)
    return rows


def worker_restarts(server_log: str) -> int:
    """How often uvicorn's supervisor replaced a worker it found dead or hung."""
    return len(re.findall(r"Child process \[\d+\] died", server_log))


def verdict(
    warm: dict[str, Any],
    run: dict[str, Any],
    samples: list[dict[str, Any]],
    limits: Limits,
    restarts: int,
) -> tuple[list[str], list[dict[str, Any]], dict[str, Any]]:
    """The reasons to fail (none: a pass), the RSS rows and the connection figures."""
    reasons = []
    if restarts:
        reasons.append(f"uvicorn replaced a dead or hung worker {restarts} times (server log)")
    for phase, summary in (("warm-up", warm), ("soak", run)):
        if summary["failures"]:
            reasons.append(f"{phase}: 5xx or connection errors {summary['failures']}")
        if summary["unexpected"]:
            reasons.append(f"{phase}: unexpected answers {summary['unexpected']}")
    if not run["requests"]:
        reasons.append("no request completed")
    start, end = samples[0], samples[-1]
    rows = rss_rows(start, end, limits)
    for row in rows:
        if row["end_mb"] is None:
            reasons.append(f"{row['role']} {row['pid']} exited during the soak")
        elif row["growth_mb"] > row["limit_mb"]:
            reasons.append(
                f"{row['role']} {row['pid']} RSS grew {row['growth_mb']} MB "
                f"(limit {row['limit_mb']} MB)"
            )
    workers = [p for p in start["processes"] if p["role"] == "worker"]
    if len(workers) != limits.workers:
        reasons.append(f"{len(workers)} workers running after warm-up, {limits.workers} expected")
    counts = [sample["connections"]["total"] for sample in samples]
    connections = {
        "start": counts[0],
        "peak": max(counts),
        "end": counts[-1],
        "ceiling": limits.connection_ceiling,
        "growth_limit": limits.pool_size,
    }
    if connections["peak"] > limits.connection_ceiling:
        reasons.append(
            f"{connections['peak']} connections to the soak database, more than the pools "
            f"may hold ({limits.connection_ceiling})"
        )
    if connections["end"] - connections["start"] > limits.pool_size:
        reasons.append(
            f"connections grew from {connections['start']} to {connections['end']}, "
            f"more than one pool ({limits.pool_size})"
        )
    return reasons, rows, connections
