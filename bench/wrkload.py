"""Running wrk and reading its report."""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: int


def ensure_wrk() -> str:
    """Debian's wrk; installed with apt-get when running as root, else a clear ask."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk not found; installing Debian's package (apt-get install wrk)", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
        found = shutil.which("wrk")
        if found:
            return found
    sys.exit("wrk is required: install it with `sudo apt-get install wrk` (Debian/Ubuntu)")


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse(output: str) -> WrkResult:
    done = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (done and rps and p50 and p99):
        raise ValueError(f"could not read wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(done.group(1)),
        requests_per_second=float(rps.group(1)),
        p50_ms=_duration_ms(p50.group(1)),
        p99_ms=_duration_ms(p99.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def header_script(directory: Path, name: str, headers: dict[str, str]) -> Path:
    """A Lua script that adds request headers (e.g. If-None-Match for the 304 case)."""

    def quote(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    path = directory / f"{name}.lua"
    lines = [f"wrk.headers[{quote(k)}] = {quote(v)}" for k, v in headers.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(
    url: str,
    *,
    connections: int,
    seconds: float,
    pin: list[str],
    script: Path | None = None,
    log: Path | None = None,
) -> WrkResult:
    command = [*pin, "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    command += ["--latency", "--timeout", "5s"]
    if script is not None:
        command += ["-s", str(script)]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if log is not None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"$ {' '.join(command)} {url}\n{done.stdout}{done.stderr}\n")
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse(done.stdout)
