"""`treatments`: the operator's command-line tool.

Every command reads the same settings as the server (environment and `.env`)
and fails with a one-line message and a non-zero exit, never a traceback.
"""

from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from app.config import Settings, get_settings
from app.db import Database, make_engine
from app.errors import AppError

cli = typer.Typer(
    help="Treatment Content API: serve, migrate, seed and operate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def one_line_errors(func: F) -> F:
    """Turn expected failures into one line on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except ValidationError as exc:
            first = exc.errors()[0]
            fail(f"invalid setting {'.'.join(map(str, first['loc']))}: {first['msg']}")
        except AppError as exc:
            fail(exc.detail)
        except SQLAlchemyError as exc:
            fail(f"database error: {str(exc.__cause__ or exc).splitlines()[0]}")
        except OSError as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def settings() -> Settings:
    return get_settings()


def database() -> Database:
    return Database(make_engine(settings()))


@cli.command()
@one_line_errors
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply database migrations (default: up to the newest)."""
    from app.migrate import upgrade

    upgrade(settings().database_url, revision)
    typer.echo(f"migrated to {revision}")


@cli.command()
@one_line_errors
def seed(
    directory: Annotated[str | None, typer.Option(help="Folder of seed YAML files.")] = None,
) -> None:
    """Load the seed content; items that already exist are left unchanged."""
    from pathlib import Path

    from app.seed import SEED_DIR, load_seed, read_seed_files

    documents = read_seed_files(Path(directory) if directory else SEED_DIR)
    db = database()
    try:
        with db.transaction(write=True) as session:
            report = load_seed(session, documents)
    finally:
        db.dispose()
    created = sum(report.created.values())
    skipped = sum(report.skipped.values())
    typer.echo(f"seed: {created} created, {skipped} already present")


@cli.command()
@one_line_errors
def serve(
    host: Annotated[str, typer.Option(envvar="HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    workers: Annotated[int, typer.Option(envvar="WEB_CONCURRENCY", min=1)] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (JSON).")] = True,
) -> None:
    """Serve the API with uvicorn, logging JSON lines to stderr."""
    import os

    import uvicorn

    from app.logs import log_config

    settings()  # validate before forking workers, so a bad setting fails once, clearly
    # The app writes the access line itself (route template, no query string);
    # workers read the choice from the environment they inherit.
    os.environ["ACCESS_LOG"] = "true" if access_log else "false"
    uvicorn.run(
        "app.main:create_app",
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


def main() -> None:
    cli(prog_name="treatments")


if __name__ == "__main__":
    main()
