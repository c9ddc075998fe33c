"""Content commands: migrate, seed, export, import, generate, serve."""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import orjson
import typer

from app.cli import servers
from app.cli.servers import Server
from app.cli.support import database, fail, one_line_errors, settings
from app.services.transfer.import_records import ImportMode

cli = typer.Typer(
    help="Treatment Content API: serve, migrate, seed and operate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@cli.command()
@one_line_errors
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply database migrations (default: up to the newest)."""
    from app.cli.migrate import upgrade

    upgrade(settings().database_url, revision)
    typer.echo(f"migrated to {revision}")


@cli.command()
@one_line_errors
def seed(
    directory: Annotated[str | None, typer.Option(help="Folder of seed YAML files.")] = None,
) -> None:
    """Load the seed content; items that already exist are left unchanged."""
    from app.services.transfer.seed import SEED_DIR, load_seed, read_seed_files

    documents = read_seed_files(Path(directory) if directory else SEED_DIR)
    db = database()
    try:
        with db.transaction(write=True) as session:
            report = load_seed(session, documents=documents)
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
    from app.services.transfer.export import export_lines

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
    from app.services.transfer.importer import Importer

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

    from app.cli import generate as generator

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
    server: Annotated[
        Server, typer.Option(envvar="SERVER", help="HTTP server: uvicorn, or granian (faster).")
    ] = Server.uvicorn,
) -> None:
    """Serve the API, logging JSON lines to stderr."""
    import os

    settings()  # validate before forking workers, so a bad setting fails once, clearly
    # The app writes the access line itself (route template, no query string);
    # workers read the choice from the environment they inherit.
    os.environ["ACCESS_LOG"] = "true" if access_log else "false"
    servers.run(server, host=host, port=port, workers=workers)
