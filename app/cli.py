"""`treatments`: the operator's command-line tool.

Every command reads the same settings as the server (environment and `.env`)
and fails with a one-line message and a non-zero exit, never a traceback.
"""

import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from app.config import Settings, get_settings
from app.db import Database, make_engine
from app.errors import AppError
from app.services import api_key as api_key_service
from app.services import audit
from app.services.api_key import Actor
from app.services.import_records import ImportMode
from models.api_key import Role

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
    current = settings()
    return Database(make_engine(current), review_grace_days=current.review_grace_days)


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


@cli.command("export")
@one_line_errors
def export_content(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE, not standard output.")
    ] = None,
) -> None:
    """Write all content (documents, drafts, translations, revisions) as JSON Lines."""
    from app.services.export import export_lines

    db = database()
    try:
        with db.transaction() as session:
            if output is None:
                for chunk in export_lines(session):
                    sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
                return
            written = _export_to_file(export_lines(session), output)
    finally:
        db.dispose()
    typer.echo(f"export: {written} items written to {output}", err=True)


def _export_to_file(lines: Iterator[bytes], output: Path) -> int:
    """Write beside the target and rename, so a cut-off export never looks complete."""
    partial = output.with_name(output.name + ".partial")
    manifest = next(lines)
    total = sum(orjson.loads(manifest)["counts"].values())
    written = 0
    with (
        partial.open("wb") as out,
        typer.progressbar(length=total, label="exporting", file=sys.stderr) as bar,
    ):
        out.write(manifest)
        for chunk in lines:
            out.write(chunk)
            written += 1
            if written % 500 == 0:
                bar.update(500)
        bar.update(written % 500)
    partial.replace(output)
    return written


@cli.command("import")
@one_line_errors
def import_content(
    file: Annotated[Path, typer.Argument(help="An export file (from `treatments export`).")],
    batch_size: Annotated[
        int, typer.Option(min=1, max=10_000, help="Records per transaction.")
    ] = 500,
    mode: Annotated[
        ImportMode,
        typer.Option(help="create: refuse ids already stored; upsert: replace them."),
    ] = ImportMode.create,
) -> None:
    """Load an export file; rejected records are listed by line, the rest are imported."""
    from app.services.importer import Importer

    db = database()
    try:
        with (
            file.open("rb") as lines,
            typer.progressbar(
                length=file.stat().st_size, label="importing", file=sys.stderr
            ) as bar,
        ):
            importer = Importer(db, mode=mode, batch_size=batch_size, on_progress=bar.update)
            report = importer.run(lines)
    finally:
        db.dispose()
    for rejection in report.rejected:
        typer.echo(str(rejection), err=True)
    if report.missing:
        typer.echo(
            f"the file ends early: {report.missing} item(s) its manifest promises are missing",
            err=True,
        )
    imported = sum(report.imported.values())
    typer.echo(
        f"import: {imported} items imported ({report.replaced} replaced), "
        f"{len(report.rejected)} rejected"
    )
    if not report.ok:
        raise typer.Exit(code=1)


keys_cli = typer.Typer(help="Editorial API keys: create, list, revoke.", no_args_is_help=True)
cli.add_typer(keys_cli, name="keys")
CLI_ACTOR = Actor("operator (cli)")


@keys_cli.command("create")
@one_line_errors
def keys_create(
    role: Annotated[Role, typer.Option(help="editor, publisher or admin.")],
    name: Annotated[str, typer.Option(help="Who holds the key, e.g. 'Content team'.")],
) -> None:
    """Create a key and print it, alone, on the last line (it is shown only once)."""
    if not name.strip() or len(name) > 200:
        fail("--name must be 1 to 200 characters")
    db = database()
    try:
        with db.transaction(write=True) as session:
            key, secret = api_key_service.create_key(session, name=name.strip(), role=role)
            audit.add_event(
                session, CLI_ACTOR, action="key_created", kind="api_key", item_id=key.id,
                details={"name": key.name, "role": str(key.role), "key_prefix": key.key_prefix},
            )  # fmt: skip
    finally:
        db.dispose()
    typer.echo(
        f"created {role} key {key.id} for {key.name!r}; store it now, it is not shown again:"
    )
    typer.echo(secret)


@keys_cli.command("list")
@one_line_errors
def keys_list() -> None:
    """List keys (never their secrets)."""
    db = database()
    try:
        with db.transaction() as session:
            rows = api_key_service.list_keys(session)
    finally:
        db.dispose()
    typer.echo("id\tprefix\trole\tname\tcreated_at\tlast_used_at\trevoked_at")
    for key in rows:
        fields = (key.id, key.key_prefix + "…", key.role, key.name, key.created_at,
                  key.last_used_at or "-", key.revoked_at or "-")  # fmt: skip
        typer.echo("\t".join(str(field) for field in fields))


@keys_cli.command("revoke")
@one_line_errors
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (or its printed prefix).")],
) -> None:
    """Revoke a key: every request with it is refused from now on."""
    db = database()
    try:
        with db.transaction(write=True) as session:
            key = api_key_service.revoke_key(session, key_id=key_id)
            audit.add_event(
                session, CLI_ACTOR, action="key_revoked", kind="api_key", item_id=key.id,
                details={"name": key.name, "key_prefix": key.key_prefix},
            )  # fmt: skip
    finally:
        db.dispose()
    typer.echo(f"revoked key {key.id} ({key.name})")


webhooks_cli = typer.Typer(
    help="Webhooks: list endpoints, redeliver, run the delivery worker.", no_args_is_help=True
)
cli.add_typer(webhooks_cli, name="webhooks")


@webhooks_cli.command("list")
@one_line_errors
def webhooks_list() -> None:
    """List endpoints with their pending and failed delivery counts (never secrets)."""
    from app.services import webhook as webhook_service

    db = database()
    try:
        with db.transaction() as session:
            endpoints = webhook_service.all_endpoints(session)
            counts = webhook_service.status_counts(session)
    finally:
        db.dispose()
    typer.echo("id\turl\tevents\tactive\tpending\tfailed")
    for endpoint in endpoints:
        mine = counts.get(endpoint.id, {})
        pending = mine.get("pending", 0) + mine.get("delivering", 0)
        fields = (endpoint.id, endpoint.url, ",".join(endpoint.events), endpoint.active,
                  pending, mine.get("failed", 0))  # fmt: skip
        typer.echo("\t".join(str(field) for field in fields))


@webhooks_cli.command("redeliver")
@one_line_errors
def webhooks_redeliver(
    delivery_id: Annotated[str | None, typer.Argument(help="The delivery's id.")] = None,
    failed: Annotated[
        str | None, typer.Option("--failed", help="Every failed delivery of this endpoint id.")
    ] = None,
) -> None:
    """Queue a delivery (or all failed ones of an endpoint) to be sent again now."""
    from app.services import webhook as webhook_service

    if (delivery_id is None) == (failed is None):
        fail("give a DELIVERY_ID or --failed ENDPOINT_ID (one of them)")
    db = database()
    try:
        with db.transaction(write=True) as session:
            if failed is not None:
                webhook_service.get_endpoint(session, endpoint_id=failed)
                count = webhook_service.redeliver_failed(session, endpoint_id=failed)
            else:
                assert delivery_id is not None
                delivery = webhook_service.get_delivery(session, delivery_id=delivery_id)
                webhook_service.redeliver(session, delivery)
                count = 1
    finally:
        db.dispose()
    typer.echo(f"queued {count} deliver{'y' if count == 1 else 'ies'} for redelivery")


@webhooks_cli.command("worker")
@one_line_errors
def webhooks_worker() -> None:
    """Send webhook deliveries in the foreground until SIGTERM or Ctrl-C."""
    import signal

    from app.webhooks.worker import WebhookWorker

    db = database()
    worker = WebhookWorker(db, settings())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: worker.request_stop())
    typer.echo("webhook worker running; stop with SIGTERM or Ctrl-C", err=True)
    try:
        worker.run()
    finally:
        worker.close()
        db.dispose()
    typer.echo("webhook worker stopped", err=True)


@cli.command()
@one_line_errors
def generate(
    treatments: Annotated[int, typer.Option(min=0, help="Synthetic treatments.")] = 1000,
    faqs: Annotated[int, typer.Option(min=0, help="Synthetic FAQs, spread over them.")] = 100_000,
    doctors: Annotated[int, typer.Option(min=0, help="Synthetic doctors.")] = 5000,
    clinics: Annotated[
        int | None, typer.Option(min=0, help="Synthetic clinics [default: 1 per 20 treatments].")
    ] = None,
    seed: Annotated[int, typer.Option(help="The same seed writes the same content.")] = 1,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete existing synthetic-* items first.")
    ] = False,
) -> None:
    """Add clearly synthetic content (`synthetic-*`) for benchmarks; other rows stay untouched."""
    import time

    from app import generate as generator

    if settings().environment == "production":
        fail("refusing to write synthetic content into a production database")
    spec = generator.Spec(
        treatments=treatments,
        faqs=faqs,
        doctors=doctors,
        clinics=max(1, treatments // 20) if clinics is None else clinics,
        seed=seed,
    )
    total = spec.treatments + spec.clinics + spec.doctors + spec.faqs
    started = time.perf_counter()
    db = database()
    try:
        with typer.progressbar(length=total, label="generating", file=sys.stderr) as bar:
            report = generator.generate(db, spec, replace=replace, progress=bar.update)
    finally:
        db.dispose()
    counts = ", ".join(f"{n} {path}" for path, n in report.created.items())
    replaced = f" (replaced {report.deleted} synthetic items)" if report.deleted else ""
    typer.echo(f"generated {counts}{replaced} in {time.perf_counter() - started:.1f} s")


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
