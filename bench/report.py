"""Formatting the benchmark's results: the machine header and the tables."""

import datetime
import os
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def host() -> dict[str, Any]:
    """Date, machine, Python, uvicorn and load average: what every run prints first."""
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "uvicorn": _version("uvicorn"),
        "load_average_at_start": load_average(),
    }


def machine() -> dict[str, Any]:
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    data = host()
    load = data.pop("load_average_at_start")
    return {
        **data,
        "wrk": (wrk.stdout or wrk.stderr).split("[")[0].strip(),
        "granian": _version("granian"),
        "load_average_at_start": load,
    }


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = [value.rjust(width) for value, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def ms(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def case_table(rows: list[dict[str, Any]], bare_rps: float | None) -> str:
    """`vs bare` is the case's median over the bare route's; `paired` is the
    median of each round's ratio (a case run over the bare run that opened its
    round), which a drifting machine moves less."""
    out = []
    for row in rows:
        if row["rps"] is None:
            out.append([row["case"], row["probe"], row["note"], None, None, None, None, None, None])
            continue
        ratio = f"{row['rps'] / bare_rps:.3f}x" if bare_rps else None
        paired = row.get("paired")
        out.append(
            [
                row["case"],
                row["probe"],
                f"{row['rps']:.0f}",
                ms(row["p50"]),
                ms(row["p99"]),
                row["non_2xx"],
                row["errors"],
                ratio,
                None if paired is None else f"{paired:.3f}x",
            ]
        )
    headers = ["case", "status", "req/s", "p50 ms", "p99 ms", "non-2xx", "sock err", "vs bare",
               "paired"]  # fmt: skip
    return table(headers, out)


def scale_table(seed: list[dict[str, Any]], large: list[dict[str, Any]]) -> str:
    """Each case at 1,000 treatments / 100,000 FAQs against its seed-scale figure."""
    by_case = {row["case"]: row for row in seed}
    out = []
    for row in large:
        base = by_case.get(row["case"])
        if not base or not base["rps"] or not row["rps"]:
            continue
        slowdown = base["rps"] / row["rps"]
        out.append(
            [
                row["case"],
                f"{base['rps']:.0f}",
                f"{row['rps']:.0f}",
                f"{slowdown:.2f}x",
                ms(base["p99"]),
                ms(row["p99"]),
                "yes" if slowdown <= 1.5 else "NO",
            ]
        )
    headers = ["case", "seed req/s", "large req/s", "slowdown", "seed p99", "large p99", "<=1.5x"]
    return table(headers, out)
