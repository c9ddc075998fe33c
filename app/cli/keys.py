"""`treatments keys`: editorial API keys."""

from typing import Annotated

import typer

from app.cli.support import database, fail, one_line_errors
from app.services import api_key as api_key_service
from app.services.api_key import Actor
from app.services.editorial import audit
from models.api_key import Role

keys_cli = typer.Typer(help="Editorial API keys: create, list, revoke.", no_args_is_help=True)
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
                session, actor=CLI_ACTOR, action="key_created", kind="api_key", item_id=key.id,
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
                session, actor=CLI_ACTOR, action="key_revoked", kind="api_key", item_id=key.id,
                details={"name": key.name, "key_prefix": key.key_prefix},
            )  # fmt: skip
    finally:
        db.dispose()
    typer.echo(f"revoked key {key.id} ({key.name})")
