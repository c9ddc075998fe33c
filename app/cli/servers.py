"""The HTTP servers `treatments serve` can run the app under.

uvicorn is the default; granian (Rust, on PyPI) is the tested alternative
that serves the same app faster (see the README's performance section and
`make bench`). Both run `app.main:create_app` as a factory, so every worker
builds its own app (engine, pool, response cache) after the fork, and both
leave the access line to the app (route template, never the query string).
"""

from enum import StrEnum

from app.logs import log_config

APP_FACTORY = "app.main:create_app"


class Server(StrEnum):
    uvicorn = "uvicorn"
    granian = "granian"


def run(server: Server, *, host: str, port: int, workers: int) -> None:
    """Serve until SIGTERM or Ctrl-C; in-flight requests finish first."""
    if workers > 1:
        _spawn_workers_without_the_cli()
    if server is Server.granian:
        _run_granian(host, port, workers)
    else:
        _run_uvicorn(host, port, workers)


def _spawn_workers_without_the_cli() -> None:
    """Keep spawned workers from re-running the `treatments` script.

    A spawned child first re-imports the parent's `__main__` by path, and the
    console script imports the whole CLI (about 2.5 s of CPU) before uvicorn's
    code runs and starts answering the supervisor's health check. On a busy
    machine that took over the 5 s the supervisor waits, so it killed every
    worker before it served and started another, for ever (found by
    bench/soak.py). A stand-in `__main__` (no file, no spec) tells
    multiprocessing there is nothing to re-import; the running script keeps
    its own globals.
    """
    import sys
    import types

    sys.modules["__main__"] = types.ModuleType("__main__")


def _run_uvicorn(host: str, port: int, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=log_config(),
        server_header=False,
        date_header=True,
        proxy_headers=False,
    )


def _run_granian(host: str, port: int, workers: int) -> None:
    try:
        from granian import Granian
        from granian.constants import Interfaces
    except ImportError as exc:  # an install without the `granian` extra
        raise SystemExit(
            "granian is not installed: pip install 'treatment-content-api[granian]'"
        ) from exc

    config = log_config()
    # granian's own loggers, JSON like the rest; its access log stays off.
    config["loggers"].update(
        {"_granian": {"level": "INFO"}, "granian.access": {"level": "WARNING"}}
    )
    Granian(
        APP_FACTORY,
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        log_access=False,
        log_dictconfig=config,
    ).serve()
