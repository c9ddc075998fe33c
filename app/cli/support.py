"""What every `treatments` command shares: settings, the database, one-line errors."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from app import wiring
from app.config import Settings, get_settings
from app.db import Database, make_engine
from app.errors import AppError

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
    """A database with the content subscribers connected: every CLI write is announced."""
    current = settings()
    db = Database(make_engine(current), review_grace_days=current.review_grace_days)
    wiring.connect(db)
    return db
