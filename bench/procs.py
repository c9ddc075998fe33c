"""Starting and always stopping the servers the benchmark runs.

Every server starts in its own session (process group), so stopping it
reaches its workers too (granian forks them), and the `Processes` context
stops everything it started on success, on errors, on Ctrl-C and on SIGTERM.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType, TracebackType


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pin(core: int) -> list[str]:
    """`taskset -c N` when there are two or more cores to keep server and wrk apart."""
    return ["taskset", "-c", str(core)] if (os.cpu_count() or 1) >= 2 else []


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


class Processes:
    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> "Processes":
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _raise_interrupt)
        signal.signal(signal.SIGHUP, _raise_interrupt)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for process in list(self.running):
            self.stop(process)

    def start(
        self, command: list[str], *, env: dict[str, str], log: Path
    ) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process in self.running:
            self.running.remove(process)
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=wait)
                # Workers of the group may outlive the leader by a moment.
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue
            time.sleep(0.2)


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"server exited with {process.returncode}; log tail:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s; see {log}")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree(pid: int) -> list[int]:
    """The process and all its descendants, parents first."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop(0)
        found.append(current)
        stack.extend(_children(current))
    return found


def rss_mb(pid: int) -> float:
    """Current resident set (VmRSS); 0 once the process is gone."""
    return _status_kb(pid, "VmRSS") / 1024


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def peak_rss_mb(pid: int) -> float:
    """The largest VmHWM (peak resident set) in the process tree: the busiest worker."""
    return max(_status_kb(current, "VmHWM") for current in tree(pid)) / 1024
