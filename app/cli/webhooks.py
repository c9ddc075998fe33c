"""`treatments webhooks`: endpoints, redelivery and the delivery worker."""

from typing import Annotated

import typer

from app.cli.support import database, fail, one_line_errors, settings

webhooks_cli = typer.Typer(
    help="Webhooks: list endpoints, redeliver, run the delivery worker.", no_args_is_help=True
)


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
                webhook_service.redeliver(session, delivery=delivery)
                count = 1
    finally:
        db.dispose()
    typer.echo(f"queued {count} deliver{'y' if count == 1 else 'ies'} for redelivery")


@webhooks_cli.command("worker")
@one_line_errors
def webhooks_worker() -> None:
    """Send webhook deliveries in the foreground until SIGTERM or Ctrl-C."""
    import signal

    from app.jobs.webhook_worker import WebhookWorker

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
