"""Command lines for tests that run the app under a real HTTP server.

`TEST_SERVER=granian` runs every such test (marked `server`) under granian
instead of uvicorn; `.ci/run` does that once, so granian stays a tested way
to serve the product (`treatments serve --server granian`).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

SERVER = os.environ.get("TEST_SERVER", "uvicorn")
if SERVER not in ("uvicorn", "granian"):
    raise RuntimeError(f"TEST_SERVER must be uvicorn or granian, not {SERVER!r}")

BIN = Path(sys.executable).parent


def command(
    target: str,
    port: int,
    *,
    factory: bool = False,
    workers: int = 1,
    graceful_seconds: int | None = None,
    keep_alive_seconds: int | None = None,
) -> list[str]:
    """Serve `target` ("module:attr") on 127.0.0.1:`port`, quietly, without an access log."""
    where = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    quiet = ["--no-access-log", "--log-level", "warning"]
    if SERVER == "granian":
        args = [str(BIN / "granian"), "--interface", "asgi", *where, *quiet]
        if graceful_seconds is not None:
            args += ["--workers-kill-timeout", str(graceful_seconds)]
        return [*args, *(["--factory"] if factory else []), target]
    args = [sys.executable, "-m", "uvicorn", target, *where, *quiet]
    if factory:
        args.append("--factory")
    if graceful_seconds is not None:
        args += ["--timeout-graceful-shutdown", str(graceful_seconds)]
    if keep_alive_seconds is not None:
        args += ["--timeout-keep-alive", str(keep_alive_seconds)]
    return args


def start(
    args: list[str], *, env: dict[str, str], cwd: Path | None = None
) -> "subprocess.Popen[bytes]":
    """In its own session, so `stop` reaches the workers a server forks (granian does)."""
    return subprocess.Popen(args, env=env, cwd=cwd, start_new_session=True)


def stop(process: "subprocess.Popen[bytes]", grace: float = 10) -> None:
    """SIGTERM the server's process group; SIGKILL it if it outlives `grace`."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):  # stragglers must not outlive the test
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(
    base: str, process: "subprocess.Popen[bytes]", *, path: str = "/healthz", timeout: float = 60
) -> None:
    """Until `path` answers 200; fails with the server's stderr (when piped) if it exits.

    60 s, because under a load average of 10+ a server took over 30 s to start.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
            pytest.fail(f"server exited with {process.returncode}: {stderr}")
        try:
            if httpx.get(base + path, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{base}{path} did not answer 200 within {timeout:.0f} s")
